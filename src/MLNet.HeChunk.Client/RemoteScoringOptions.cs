using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Client;

/// <summary>Where and how <c>ScoreRemotely</c> and <see cref="HeChunkServiceClient"/> reach the encrypted scoring service.</summary>
public sealed class RemoteScoringOptions
{
    /// <summary>The server's address, for example <c>http://127.0.0.1:5080</c> (plain HTTP/2) or an <c>https://</c> address.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The tenant's API key (sent in the <c>x-api-key</c> header; never logged).</summary>
    public string? Credential { get; set; }

    /// <summary>The served model to use (empty: the server's default model).</summary>
    public string ModelName { get; set; } = "";

    /// <summary>A key set registered earlier (RegisterKeys' answer); or leave it null and give <see cref="Keys"/>.</summary>
    public string? KeySetId { get; set; }

    /// <summary>Keys to register when fitting (only their public part is sent); ignored when <see cref="KeySetId"/> is set.</summary>
    public HeChunkKeys? Keys { get; set; }

    /// <summary>The encrypted chunk groups column (from EncryptChunks).</summary>
    public string InputColumnName { get; set; } = "EncryptedChunks";

    /// <summary>The encrypted scores column to write (as ScoreEncryptedChunkCnn writes it).</summary>
    public string OutputColumnName { get; set; } = "EncryptedScores";

    /// <summary>Score calls in flight at once.</summary>
    public int MaxConcurrentCalls { get; set; } = 2;

    /// <summary>Images sent in one Score call.</summary>
    public int ImagesPerCall { get; set; } = 8;

    /// <summary>Deadline of one call (a Score call of <see cref="ImagesPerCall"/> images, or one key registration).</summary>
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of a call that failed transiently (Unavailable, ResourceExhausted, Aborted).</summary>
    public int MaxRetries { get; set; } = 6;

    /// <summary>First back-off before a retry (exponential with jitter after that).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cancels scoring; the cancellation reaches the server, which stops taking the call's images.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>A copy, checked: throws <see cref="ArgumentException"/> naming a missing or invalid setting.</summary>
    internal RemoteScoringOptions Checked()
    {
        if (Endpoint is null || !(Endpoint.Scheme is "http" or "https"))
        {
            throw new ArgumentException("RemoteScoringOptions.Endpoint must be an http:// or https:// address of the scoring server");
        }

        if (string.IsNullOrEmpty(Credential))
        {
            throw new ArgumentException("RemoteScoringOptions.Credential (the tenant's API key) is required");
        }

        if (MaxConcurrentCalls < 1 || ImagesPerCall < 1 || MaxRetries < 0 || CallDeadline <= TimeSpan.Zero || RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("RemoteScoringOptions: MaxConcurrentCalls and ImagesPerCall must be at least 1, MaxRetries at least 0, CallDeadline positive");
        }

        return (RemoteScoringOptions)MemberwiseClone();
    }
}
