using Microsoft.ML.Data;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// What the two chunk-layout transformers share, <see cref="ChunkSplittingTransformer"/> (image to chunks) and
/// <see cref="ChunkMergingTransformer"/> (chunks to image): the columns and the <see cref="ChunkGrid"/> fixed at fit time,
/// the saved state (version 1: the settings as <c>options.json</c>), and the row work, which runs in opposite directions.
/// Non-finite values make the row fail with <see cref="InvalidDataException"/>.
/// </summary>
public abstract class ChunkLayoutTransformerBase : HeChunkTransformerBase
{
    private const int StateVersion = 1;

    private readonly Settings _settings;

    private protected ChunkLayoutTransformerBase(TransformsCatalog catalog, Settings settings, bool toChunks, string contractName)
        : base(BuildMapping(catalog, settings, toChunks, contractName)) => _settings = settings;

    /// <summary>Name of the column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>Name of the column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>The chunk layout fixed at fit time.</summary>
    public ChunkGrid Grid => _settings.Grid;

    /// <summary>The kind name the state is saved under.</summary>
    private protected abstract string Kind { get; }

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState() =>
        new HeChunkTransformerState(Kind, StateVersion).AddJson("options.json", _settings);

    private protected static Settings ReadSettings(HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        return state.GetJson<Settings>("options.json");
    }

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s, bool toChunks, string contractName)
    {
        ChunkGrid grid = s.Grid;
        var (input, output) = Definitions(s.OutputColumnName, s.InputColumnName, grid, toChunks);
        int inputLength = toChunks ? grid.ImageLength : grid.VectorLength, outputLength = toChunks ? grid.VectorLength : grid.ImageLength;
        string column = s.InputColumnName;
        return CustomMappingBuilder.Build<ChunkVectorInput, ChunkVectorOutput>(catalog, (src, dst) =>
        {
            RowValues.Require(src.Values, inputLength, column);
            dst.Values = RowValues.Reuse(dst.Values, outputLength);
            if (toChunks)
                grid.Split(src.Values, dst.Values);
            else
                grid.Merge(src.Values, dst.Values);
        }, contractName, input, output);
    }

    /// <summary>The mapping's column definitions; the chunk vector carries the <see cref="ChunkGridAnnotation"/>.</summary>
    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(string outputColumn, string inputColumn, ChunkGrid? grid, bool toChunks)
    {
        var input = CustomMappingBuilder.Define<ChunkVectorInput>(
            (nameof(ChunkVectorInput.Values), inputColumn, OutputShape.Vector(NumberDataViewType.Single, toChunks ? grid?.ImageLength : grid?.VectorLength)));
        var output = CustomMappingBuilder.Define<ChunkVectorOutput>(
            (nameof(ChunkVectorOutput.Values), outputColumn, OutputShape.Vector(NumberDataViewType.Single, toChunks ? grid?.VectorLength : grid?.ImageLength)));
        if (toChunks)
            ChunkGridAnnotation.AddTo(output[0], grid);
        return (input, output);
    }

    internal sealed record Settings(string OutputColumnName, string InputColumnName, ChunkGrid Grid);
}
