using Grpc.Core;

namespace MLNet.HeChunk.Server.Grains;

/// <summary>
/// The answer of <see cref="IKeySetGrain.Score"/>: the serialized encrypted scores, or a gRPC status and a message (a
/// value rather than an exception, so that it crosses silos unchanged).
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ScoreOutcome
{
    /// <summary>OK, or the status the call should fail with.</summary>
    [Id(0)]
    public StatusCode Status { get; init; }

    /// <summary>Why it failed (empty on success).</summary>
    [Id(1)]
    public string Message { get; init; } = "";

    /// <summary><c>EncryptedScores.ToBytes()</c> on success.</summary>
    [Id(2)]
    public byte[] EncryptedScores { get; init; } = [];

    /// <summary>A successful outcome.</summary>
    public static ScoreOutcome Ok(byte[] scores) => new() { Status = StatusCode.OK, EncryptedScores = scores };

    /// <summary>A failed outcome.</summary>
    public static ScoreOutcome Fail(StatusCode status, string message) => new() { Status = status, Message = message };
}
