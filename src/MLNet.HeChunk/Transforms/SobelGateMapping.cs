using System.ComponentModel;
using Microsoft.ML.Transforms;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>Input row of the Sobel gate's CustomMapping (plumbing; public because ML.NET binds it by reflection).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SobelGateInput
{
    /// <summary>The whole image, row-major, on 0-255.</summary>
    public float[] Pixels { get; set; } = [];
}

/// <summary>Output row of the Sobel gate's CustomMapping (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SobelGateOutput
{
    /// <summary>Signed chunk indices: +(k+1) for a feature chunk, -(k+1) otherwise.</summary>
    public int[] Index { get; set; } = [];

    /// <summary>Per-chunk scores.</summary>
    public float[] Scores { get; set; } = [];
}

/// <summary>ML.NET's entry point for a saved Sobel gate; see <see cref="HeChunkPlaceholderFactory{TSrc, TDst}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(SobelGateTransformer.ContractName)]
public sealed class SobelGateFactory : HeChunkPlaceholderFactory<SobelGateInput, SobelGateOutput>
{
    /// <inheritdoc/>
    protected override string Kind => SobelGateTransformer.KindName;
}
