using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;

namespace MLNet.HeChunk.Server;

/// <summary>One served model: where its weights come from, its name, version and class names, and its CKKS parameters.</summary>
public sealed class ServedModelOptions
{
    /// <summary>The name clients ask for.</summary>
    public string Name { get; set; } = "chunk-cnn";

    /// <summary>The version reported by GetModel.</summary>
    public string Version { get; set; } = "1";

    /// <summary>A chunk CNN weights file (<c>chunk-cnn.weights</c>) or a model zip holding a chunk CNN scorer.</summary>
    public string? Path { get; set; }

    /// <summary>Weights given in code (tests); used instead of <see cref="Path"/> when set.</summary>
    public ChunkCnnWeights? Weights { get; set; }

    /// <summary>Class names in the model's class order; from the model zip when it has them, else "class0", "class1", ...</summary>
    public string[]? ClassNames { get; set; }

    /// <summary>The CKKS parameters the clients' keys must use (default: the chunk CNN's 128-bit set).</summary>
    public CkksParametersLiteral Parameters { get; set; } = CkksPresets.N8192ChunkCnn;
}
