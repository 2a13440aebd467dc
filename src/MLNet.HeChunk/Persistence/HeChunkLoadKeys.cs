using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Persistence;

/// <summary>
/// The client's key set handed to <see cref="HeChunkModel.Load(MLContext, string, out DataViewSchema, HeChunkKeys?)"/>
/// for the duration of the load. Model zips never hold a secret key, so transformers that need one (the score
/// decryptor, a secret-key encryptor) take it from here when they are rebuilt. An <see cref="AsyncLocal{T}"/> keeps
/// concurrent loads apart.
/// </summary>
internal static class HeChunkLoadKeys
{
    private static readonly AsyncLocal<HeChunkKeys?> Keys = new();

    private static readonly AsyncLocal<Ckks.SecurityMode> Security = new();

    public static HeChunkKeys? Current => Keys.Value;

    /// <summary>The weakest parameter security the running load accepts for keys stored in the zip.</summary>
    public static Ckks.SecurityMode AcceptedSecurity => Security.Value;

    public static IDisposable Use(HeChunkKeys? keys, Ckks.SecurityMode accepted)
    {
        Ckks.SecurityMode previousSecurity = Security.Value;
        Security.Value = accepted;
        IDisposable inner = Use(keys);
        return new RestoreBoth(inner, previousSecurity);
    }

    /// <summary>The key set passed to the load, which must have id <paramref name="keySetId"/>.</summary>
    public static HeChunkKeys RequireKeys(string kind, string keySetId)
    {
        HeChunkKeys keys = Current ?? throw new InvalidOperationException(
            $"The model's '{kind}' transformer encrypts for key set {keySetId}; a model zip's own keys are never used to encrypt. " +
            "Pass the client's key set: HeChunkModel.Load(mlContext, path, out var schema, keys).");
        if (keys.KeySetId != keySetId)
        {
            throw new InvalidDataException(
                $"The model's '{kind}' transformer was saved for key set {keySetId}, but the key set given is {keys.KeySetId}: " +
                "the model zip belongs to other keys (swapped or tampered with); refusing to encrypt under it.");
        }

        return keys;
    }

    public static IDisposable Use(HeChunkKeys? keys)
    {
        HeChunkKeys? previous = Keys.Value;
        Keys.Value = keys;
        return new Restore(previous);
    }

    /// <summary>The secret-holding key set with id <paramref name="keySetId"/>, or a clear refusal naming what to pass.</summary>
    public static HeChunkKeys RequireSecret(string kind, string keySetId)
    {
        HeChunkKeys keys = Current ?? throw new InvalidOperationException(
            $"The model's '{kind}' transformer needs the client's secret key, which model zips never contain. " +
            "Pass the key set: HeChunkModel.Load(mlContext, path, out var schema, HeChunkKeys.Load(publicKeyPath, secretKeyPath)).");
        if (!keys.HasSecretKey)
        {
            throw new InvalidOperationException($"The model's '{kind}' transformer needs the secret key; the key set given to HeChunkModel.Load is public-only.");
        }

        if (keys.KeySetId != keySetId)
        {
            throw new InvalidOperationException($"The model's '{kind}' transformer was built for key set {keySetId}; the key set given is {keys.KeySetId}.");
        }

        return keys;
    }

    private sealed class RestoreBoth(IDisposable inner, Ckks.SecurityMode previous) : IDisposable
    {
        public void Dispose()
        {
            inner.Dispose();
            Security.Value = previous;
        }
    }

    private sealed class Restore(HeChunkKeys? previous) : IDisposable
    {
        public void Dispose() => Keys.Value = previous;
    }
}
