namespace MLNet.HeChunk.Server.KeySets;

/// <summary>
/// Durable store of registered key sets (the bytes of <c>HeChunkKeys.SavePublic</c>), by tenant and key-set id. Every
/// silo reads it when it activates a key set, so a key set outlives the silo that registered it.
/// </summary>
public interface IKeySetStore
{
    /// <summary>The stored bytes, or null when this tenant has no key set of that id.</summary>
    Task<byte[]?> GetAsync(string tenant, string keySetId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the bytes unless present. Returns <see cref="KeySetPut.Stored"/> or <see cref="KeySetPut.AlreadyPresent"/>
    /// (same bytes), or <see cref="KeySetPut.Conflict"/> when different bytes are stored under the id.
    /// </summary>
    Task<KeySetPut> PutAsync(string tenant, string keySetId, byte[] keySet, CancellationToken cancellationToken = default);
}
