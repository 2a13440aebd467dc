using System.ComponentModel;
using Microsoft.ML.Transforms;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>Input row of the texture describer's CustomMapping (plumbing; public because ML.NET binds it by reflection).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TextureDescribingInput
{
    /// <summary>Planar pixels (channel after channel) on the 0-255 scale.</summary>
    public float[] Pixels { get; set; } = [];
}

/// <summary>Output row of the texture describer's CustomMapping (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TextureDescribingOutput
{
    /// <summary>The texture descriptors.</summary>
    public float[] Descriptors { get; set; } = [];
}

/// <summary>ML.NET's entry point for a saved texture describer; see <see cref="HeChunkPlaceholderFactory{TSrc, TDst}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(TextureDescribingTransformer.ContractName)]
public sealed class TextureDescribingFactory : HeChunkPlaceholderFactory<TextureDescribingInput, TextureDescribingOutput>
{
    /// <inheritdoc/>
    protected override string Kind => TextureDescribingTransformer.KindName;
}
