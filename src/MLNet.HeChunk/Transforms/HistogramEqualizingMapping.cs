using System.ComponentModel;
using Microsoft.ML.Transforms;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>Input row of the equalizer's CustomMapping (plumbing; public because ML.NET binds it by reflection).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HistogramEqualizingInput
{
    /// <summary>Pixels on the 0-255 scale.</summary>
    public float[] Pixels { get; set; } = [];
}

/// <summary>Output row of the equalizer's CustomMapping (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HistogramEqualizingOutput
{
    /// <summary>Equalized pixels on the 0-255 scale.</summary>
    public float[] Equalized { get; set; } = [];
}

/// <summary>ML.NET's entry point for a saved equalizer; see <see cref="HeChunkPlaceholderFactory{TSrc, TDst}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(HistogramEqualizingTransformer.ContractName)]
public sealed class HistogramEqualizingFactory : HeChunkPlaceholderFactory<HistogramEqualizingInput, HistogramEqualizingOutput>
{
    /// <inheritdoc/>
    protected override string Kind => HistogramEqualizingTransformer.KindName;
}
