using System.ComponentModel;
using Microsoft.ML.Transforms;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>Input row of the plaintext chunk-CNN scorer's CustomMapping (plumbing; public because ML.NET binds it by reflection).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkCnnScoringInput
{
    /// <summary>Chunk-major pixels.</summary>
    public float[] Chunks { get; set; } = [];
}

/// <summary>Input row of the plaintext chunk-CNN scorer's CustomMapping for a model with a descriptor head (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkCnnScoringDescribedInput
{
    /// <summary>Chunk-major pixels.</summary>
    public float[] Chunks { get; set; } = [];

    /// <summary>Texture descriptors.</summary>
    public float[] Descriptors { get; set; } = [];
}

/// <summary>ML.NET's entry point for a saved plaintext chunk-CNN scorer with a descriptor head.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ChunkCnnScoringTransformer.DescribedContractName)]
public sealed class ChunkCnnScoringDescribedFactory : HeChunkPlaceholderFactory<ChunkCnnScoringDescribedInput, ChunkCnnScoringOutput>
{
    /// <inheritdoc/>
    protected override string Kind => ChunkCnnScoringTransformer.KindName;
}

/// <summary>Output row of the plaintext chunk-CNN scorer's CustomMapping (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkCnnScoringOutput
{
    /// <summary>Class probabilities.</summary>
    public float[] Score { get; set; } = [];

    /// <summary>1-based key of the most probable class.</summary>
    public uint PredictedLabel { get; set; }
}

/// <summary>ML.NET's entry point for a saved plaintext chunk-CNN scorer.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ChunkCnnScoringTransformer.ContractName)]
public sealed class ChunkCnnScoringFactory : HeChunkPlaceholderFactory<ChunkCnnScoringInput, ChunkCnnScoringOutput>
{
    /// <inheritdoc/>
    protected override string Kind => ChunkCnnScoringTransformer.KindName;
}

/// <summary>Input row of the encrypted chunk-CNN scorer's CustomMapping (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EncryptedCnnScoringInput
{
    /// <summary>The serialized encrypted chunk group.</summary>
    public byte[] Encrypted { get; set; } = [];
}

/// <summary>Output row of the encrypted chunk-CNN scorer's CustomMapping (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EncryptedCnnScoringOutput
{
    /// <summary>The serialized encrypted scores.</summary>
    public byte[] Scores { get; set; } = [];
}

/// <summary>ML.NET's entry point for a saved encrypted chunk-CNN scorer.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(EncryptedCnnScoringTransformer.ContractName)]
public sealed class EncryptedCnnScoringFactory : HeChunkPlaceholderFactory<EncryptedCnnScoringInput, EncryptedCnnScoringOutput>
{
    /// <inheritdoc/>
    protected override string Kind => EncryptedCnnScoringTransformer.KindName;
}
