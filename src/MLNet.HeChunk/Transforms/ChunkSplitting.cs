using Microsoft.ML.Data;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Fitted chunk splitter (the product brief's <b>ChunkSplitter</b>): cuts each row's H x W pixel vector into the chunk-major vector described by
/// <see cref="ChunkLayoutTransformerBase.Grid"/> (a <c>Vector&lt;Single, ChunkCount * ChunkLength&gt;</c> carrying the
/// <see cref="ChunkGridAnnotation"/>). Non-finite pixels make the row fail with <see cref="InvalidDataException"/>.
/// </summary>
public sealed class ChunkSplittingTransformer : ChunkLayoutTransformerBase
{
    internal const string KindName = "ChunkSplitter";
    internal const string ContractName = "MLNet.HeChunk.ChunkSplitter.v1";

    private ChunkSplittingTransformer(TransformsCatalog catalog, Settings settings)
        : base(catalog, settings, toChunks: true, ContractName)
    {
    }

    /// <inheritdoc/>
    private protected override string Kind => KindName;

    internal static ChunkSplittingTransformer Create(TransformsCatalog catalog, string output, string input, ChunkGrid grid) =>
        new(catalog, new Settings(output, input, grid));

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state) => new ChunkSplittingTransformer(mlContext.Transforms, ReadSettings(state));

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema) =>
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName,
            $"Vector<Single, {Grid.ImageLength}> ({Grid.ImageHeight} x {Grid.ImageWidth} image)", Grid.ImageLength);

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(string outputColumn, string inputColumn, ChunkGrid? grid) =>
        Definitions(outputColumn, inputColumn, grid, toChunks: true);
}

/// <summary>
/// Estimator for <see cref="ChunkSplittingTransformer"/> (the brief's ChunkSplitter); created by
/// <see cref="HeChunkCatalog.SplitChunks(TransformsCatalog, string, string?, ChunkSplittingOptions?)"/>.
/// Nothing is learned: fitting fixes the grid from the options and the input vector's size.
/// </summary>
public sealed class ChunkSplittingEstimator : IEstimator<ChunkSplittingTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly ChunkSplittingOptions _options;
    private readonly ChunkGrid? _grid;

    internal ChunkSplittingEstimator(TransformsCatalog catalog, string outputColumnName, string inputColumnName, ChunkSplittingOptions options)
    {
        _catalog = catalog;
        _options = options;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _grid = options.ValidateLayout();
    }

    /// <summary>Name of the chunk column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the image column read.</summary>
    public string InputColumnName { get; }

    private string Expected => _grid is null
        ? "known-size Vector<Single> of a square grayscale image"
        : $"Vector<Single, {_grid.ImageLength}> ({_grid.ImageHeight} x {_grid.ImageWidth} image)";

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, of the wrong type or size, or smaller than a chunk.</exception>
    public ChunkSplittingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = ColumnCheck.RequireSingleVector(input.Schema, InputColumnName, Expected);
        var grid = _options.ResolveGrid(InputColumnName, n, input.Schema[InputColumnName].Type.ToString() ?? "");
        return ChunkSplittingTransformer.Create(_catalog, OutputColumnName, InputColumnName, grid);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName, Expected);
        var (input, output) = ChunkSplittingTransformer.Definitions(OutputColumnName, InputColumnName, _grid);
        return OutputShape.Of<ChunkVectorInput, ChunkVectorOutput>(_catalog, inputSchema, input, output);
    }
}
