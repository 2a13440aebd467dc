using System.ComponentModel;
using Microsoft.ML.Transforms;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>Input row of the score decryptor's CustomMapping (plumbing; public because ML.NET binds it by reflection).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ScoreDecryptingInput
{
    /// <summary>The serialized encrypted scores.</summary>
    public byte[] Encrypted { get; set; } = [];
}

/// <summary>Output row of the score decryptor's CustomMapping (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ScoreDecryptingOutput
{
    /// <summary>Class probabilities (softmax of the decrypted logits).</summary>
    public float[] Score { get; set; } = [];

    /// <summary>1-based key of the most probable class.</summary>
    public uint PredictedLabel { get; set; }
}

/// <summary>ML.NET's entry point for a saved score decryptor; see <see cref="HeChunkPlaceholderFactory{TSrc, TDst}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ScoreDecryptingTransformer.ContractName)]
public sealed class ScoreDecryptingFactory : HeChunkPlaceholderFactory<ScoreDecryptingInput, ScoreDecryptingOutput>
{
    /// <inheritdoc/>
    protected override string Kind => ScoreDecryptingTransformer.KindName;
}
