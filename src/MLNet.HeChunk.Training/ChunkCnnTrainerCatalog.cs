using Microsoft.ML;

namespace MLNet.HeChunk.Training;

/// <summary>The chunk CNN trainer on <c>mlContext.MulticlassClassification.Trainers</c>.</summary>
public static class ChunkCnnTrainerCatalog
{
    /// <summary>
    /// Trains the chunk CNN (per chunk: 7x7 convolution, square, FC 256 -> 128, square; mean over chunks; FC 128 -> K) with
    /// TorchSharp on CPU, Adam and cross-entropy with the paper's augmentation; returns the plaintext scorer.
    /// </summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="options">Columns, network, training loop and progress; defaults when null.</param>
    public static ChunkCnnTrainerEstimator ChunkCnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ChunkCnnTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ChunkCnnTrainerEstimator(GetContext(catalog), options ?? new ChunkCnnTrainerOptions());
    }

    // The trainers catalog exposes its MLContext only internally; a fresh context is equivalent here because the
    // trainer keeps no state in it beyond building the scorer (its seed comes from TrainingOptions.Seed).
    private static MLContext GetContext(MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog) => new();
}
