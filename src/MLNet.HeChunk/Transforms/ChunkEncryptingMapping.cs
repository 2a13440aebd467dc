using System.ComponentModel;
using Microsoft.ML.Transforms;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>Input row of the chunk encryptor's CustomMapping (plumbing; public because ML.NET binds it by reflection).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkEncryptingInput
{
    /// <summary>Chunk-major pixels.</summary>
    public float[] Chunks { get; set; } = [];

    /// <summary>Signed chunk index.</summary>
    public int[] Index { get; set; } = [];
}

/// <summary>Output row of the chunk encryptor's CustomMapping (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkEncryptingOutput
{
    /// <summary>The serialized encrypted chunk group.</summary>
    public byte[] Encrypted { get; set; } = [];
}

/// <summary>ML.NET's entry point for a saved chunk encryptor; see <see cref="HeChunkPlaceholderFactory{TSrc, TDst}"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ChunkEncryptingTransformer.ContractName)]
public sealed class ChunkEncryptingFactory : HeChunkPlaceholderFactory<ChunkEncryptingInput, ChunkEncryptingOutput>
{
    /// <inheritdoc/>
    protected override string Kind => ChunkEncryptingTransformer.KindName;
}

/// <summary>Input row of the chunk encryptor's CustomMapping when it also encrypts texture descriptors (plumbing).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkEncryptingDescribedInput
{
    /// <summary>Chunk-major pixels.</summary>
    public float[] Chunks { get; set; } = [];

    /// <summary>Signed chunk index.</summary>
    public int[] Index { get; set; } = [];

    /// <summary>Texture descriptors.</summary>
    public float[] Descriptors { get; set; } = [];
}

/// <summary>ML.NET's entry point for a saved chunk encryptor that encrypts descriptors too.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ChunkEncryptingTransformer.DescribedContractName)]
public sealed class ChunkEncryptingDescribedFactory : HeChunkPlaceholderFactory<ChunkEncryptingDescribedInput, ChunkEncryptingOutput>
{
    /// <inheritdoc/>
    protected override string Kind => ChunkEncryptingTransformer.KindName;
}
