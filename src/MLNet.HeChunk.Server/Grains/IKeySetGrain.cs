using Orleans.Concurrency;

namespace MLNet.HeChunk.Server.Grains;

/// <summary>
/// One tenant's registered key set (grain key <c>TENANT/KEYSETID</c>): holds the deserialized evaluation keys and a
/// scorer per model, so the 48 MB of keys are read and decoded once per activation, not per request. Any silo can
/// activate it from the key-set store.
/// </summary>
public interface IKeySetGrain : IGrainWithStringKey
{
    /// <summary>
    /// Scores one serialized encrypted chunk group with the named model; many calls run at once. The bytes are passed as
    /// immutable: a call inside one silo does not copy megabytes of ciphertext.
    /// </summary>
    [AlwaysInterleave]
    Task<ScoreOutcome> Score(string modelName, Immutable<byte[]> chunkGroup);
}
