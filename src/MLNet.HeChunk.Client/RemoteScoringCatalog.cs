namespace MLNet.HeChunk.Client;

/// <summary>The ML.NET entry point of the remote scorer on <c>mlContext.Transforms</c>.</summary>
public static class RemoteScoringCatalog
{
    /// <summary>
    /// Scores encrypted chunk groups on a remote encrypted scoring server (<c>hechunk serve</c>), writing the encrypted
    /// scores column that <c>DecryptScores</c> reads: <c>PrepareChunks -> EncryptChunks -> ScoreRemotely -> DecryptScores</c>.
    /// Fitting registers <see cref="RemoteScoringOptions.Keys"/> (public part only) unless a key-set id is given.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Endpoint, credential, model, key set, columns, concurrency, deadline, retries, cancellation.</param>
    /// <exception cref="ArgumentException">A required option is missing.</exception>
    public static RemoteScoringEstimator ScoreRemotely(this TransformsCatalog catalog, RemoteScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RemoteScoringEstimator(CatalogContext(catalog), options);
    }

    // TransformsCatalog does not expose its MLContext; a fresh one only computes schema shapes.
    private static MLContext CatalogContext(TransformsCatalog catalog)
    {
        _ = catalog;
        return new MLContext(seed: 0);
    }
}
