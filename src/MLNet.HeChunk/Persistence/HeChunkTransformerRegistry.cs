using System.Collections.Concurrent;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Persistence;

/// <summary>Rebuilds a transformer from its saved state in <paramref name="mlContext"/>.</summary>
public delegate ITransformer HeChunkTransformerRestorer(MLContext mlContext, HeChunkTransformerState state);

/// <summary>
/// Maps each transformer kind to the function that rebuilds it from its <see cref="HeChunkTransformerState"/>.
/// The suite's own kinds are registered here; other assemblies add theirs with <see cref="Register"/> (for example
/// from a static constructor of their catalog class, which runs before any of their transformers exists).
/// </summary>
public static class HeChunkTransformerRegistry
{
    private static readonly ConcurrentDictionary<string, HeChunkTransformerRestorer> Restorers = new(StringComparer.Ordinal)
    {
        [HistogramEqualizingTransformer.KindName] = HistogramEqualizingTransformer.Restore,
        [TextureDescribingTransformer.KindName] = TextureDescribingTransformer.Restore,
        [ChunkSplittingTransformer.KindName] = ChunkSplittingTransformer.Restore,
        [ChunkMergingTransformer.KindName] = ChunkMergingTransformer.Restore,
        [SobelGateTransformer.KindName] = SobelGateTransformer.Restore,
        [ChunkEncryptingTransformer.KindName] = ChunkEncryptingTransformer.Restore,
        [ScoreDecryptingTransformer.KindName] = ScoreDecryptingTransformer.Restore,
        [ChunkCnnScoringTransformer.KindName] = ChunkCnnScoringTransformer.Restore,
        [EncryptedCnnScoringTransformer.KindName] = EncryptedCnnScoringTransformer.Restore,
    };

    /// <summary>Registers the restorer of <paramref name="kind"/>. Registering the same restorer twice is harmless.</summary>
    /// <exception cref="InvalidOperationException">Another restorer is already registered under <paramref name="kind"/>.</exception>
    public static void Register(string kind, HeChunkTransformerRestorer restorer)
    {
        HeChunkTransformerState.RequireName(kind, nameof(kind));
        ArgumentNullException.ThrowIfNull(restorer);
        var existing = Restorers.GetOrAdd(kind, restorer);
        if (!existing.Equals(restorer))
            throw new InvalidOperationException($"A different restorer is already registered for transformer kind '{kind}'.");
    }

    /// <summary>Whether a restorer is registered for <paramref name="kind"/>.</summary>
    public static bool IsRegistered(string kind) => Restorers.ContainsKey(kind);

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        if (!Restorers.TryGetValue(state.Kind, out var restorer))
            throw new InvalidDataException(
                $"The model holds a transformer of kind '{state.Kind}', but no restorer is registered for it. " +
                $"Load the assembly that defines it and call {nameof(HeChunkTransformerRegistry)}.{nameof(Register)} first.");
        return restorer(mlContext, state);
    }
}
