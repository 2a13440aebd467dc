using System.ComponentModel;
using Microsoft.ML.Transforms;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>Input row of the splitter's and merger's CustomMappings (plumbing; public because ML.NET binds it by reflection).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkVectorInput
{
    /// <summary>The vector read: an image for the splitter, chunks for the merger.</summary>
    public float[] Values { get; set; } = [];
}

/// <summary>Output row of the splitter's and merger's CustomMappings (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkVectorOutput
{
    /// <summary>The vector written: chunks for the splitter, an image for the merger.</summary>
    public float[] Values { get; set; } = [];
}

/// <summary>ML.NET's entry point for a saved chunk splitter; see <see cref="HeChunkPlaceholderFactory{TSrc, TDst}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ChunkSplittingTransformer.ContractName)]
public sealed class ChunkSplittingFactory : HeChunkPlaceholderFactory<ChunkVectorInput, ChunkVectorOutput>
{
    /// <inheritdoc/>
    protected override string Kind => ChunkSplittingTransformer.KindName;
}

/// <summary>ML.NET's entry point for a saved chunk merger; see <see cref="HeChunkPlaceholderFactory{TSrc, TDst}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ChunkMergingTransformer.ContractName)]
public sealed class ChunkMergingFactory : HeChunkPlaceholderFactory<ChunkVectorInput, ChunkVectorOutput>
{
    /// <inheritdoc/>
    protected override string Kind => ChunkMergingTransformer.KindName;
}
