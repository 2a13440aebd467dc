using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNet.HeChunk.Training;

/// <summary>The chunk CNN trainer on <c>mlContext.MulticlassClassification.Trainers</c>.</summary>
public static class ChunkCnnTrainerCatalog
{
    /// <summary>
    /// Trains the chunk CNN (per chunk: 7x7 convolution, square, FC 256 -> 128, square; mean over chunks; FC 128 -> K) with
    /// TorchSharp on CPU, Adam and cross-entropy with the paper's augmentation; fitting returns the prediction transformer
    /// <see cref="Transforms.ChunkCnnScoringTransformer"/> with the training data's class names. The estimator works on the
    /// caller's MLContext (its environment: log, cancellation).
    /// </summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="options">Columns, network, training loop and progress; defaults when null.</param>
    public static ChunkCnnTrainerEstimator ChunkCnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ChunkCnnTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new ChunkCnnTrainerEstimator(TransformsOf(catalog), options ?? new ChunkCnnTrainerOptions());
    }

    /// <summary>
    /// The transforms catalog of the MLContext that <paramref name="catalog"/> belongs to. ML.NET keeps a catalog's
    /// environment internal (its own trainers reach it as a "best friend"); .NET's <see cref="UnsafeAccessorAttribute"/>
    /// reads it without reflection, and a transforms catalog over the same environment is what the caller's
    /// <c>mlContext.Transforms</c> is.
    /// </summary>
    internal static TransformsCatalog TransformsOf(MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog) =>
        NewTransformsCatalog(EnvironmentOf(OwnerOf(catalog)));

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Owner")]
    private static extern TrainCatalogBase OwnerOf(TrainCatalogBase.CatalogInstantiatorBase catalog);

    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "get_Environment")]
    private static extern IHostEnvironment EnvironmentOf(TrainCatalogBase catalog);

    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    private static extern TransformsCatalog NewTransformsCatalog(IHostEnvironment environment);

    /// <summary>ML.NET's <see cref="TrainerInfo"/> (its constructor is internal, read the same way as the environment).</summary>
    [UnsafeAccessor(UnsafeAccessorKind.Constructor)]
    internal static extern TrainerInfo NewTrainerInfo(bool normalization, bool calibration, bool caching, bool supportValid,
        bool supportIncrementalTrain, bool wantFeatureColumn);
}
