using Microsoft.ML.Data;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Imaging;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Fitted chunk splitter (the product brief's <b>ChunkSplitter</b>): cuts each row's H x W pixel vector into the chunk-major vector described by
/// <see cref="Grid"/> (a <c>Vector&lt;Single, ChunkCount * ChunkLength&gt;</c> carrying the
/// <see cref="ChunkGridAnnotation"/>). Non-finite pixels make the row fail with <see cref="InvalidDataException"/>.
/// </summary>
public sealed class ChunkSplittingTransformer : HeChunkTransformerBase
{
    internal const string KindName = "ChunkSplitter";
    internal const string ContractName = "MLNet.HeChunk.ChunkSplitter.v1";
    private const int StateVersion = 1;

    private readonly Settings _settings;

    private ChunkSplittingTransformer(TransformsCatalog catalog, Settings settings)
        : base(BuildMapping(catalog, settings)) => _settings = settings;

    /// <summary>Name of the chunk column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>Name of the image column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>The chunk layout fixed at fit time.</summary>
    public ChunkGrid Grid => _settings.Grid;

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState() =>
        new HeChunkTransformerState(KindName, StateVersion).AddJson("options.json", _settings);

    internal static ChunkSplittingTransformer Create(TransformsCatalog catalog, string output, string input, ChunkGrid grid) =>
        new(catalog, new Settings(output, input, grid));

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        return new ChunkSplittingTransformer(mlContext.Transforms, state.GetJson<Settings>("options.json"));
    }

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema) =>
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName,
            $"Vector<Single, {Grid.ImageLength}> ({Grid.ImageHeight} x {Grid.ImageWidth} image)", Grid.ImageLength);

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s)
    {
        var grid = s.Grid;
        var (input, output) = Definitions(s.OutputColumnName, s.InputColumnName, grid);
        string column = s.InputColumnName;
        return CustomMappingBuilder.Build<ChunkVectorInput, ChunkVectorOutput>(catalog, (src, dst) =>
        {
            PixelGuard.RequireLength(src.Values.Length, grid.ImageLength, column);
            PixelGuard.RequireFinite(src.Values, column);
            // dst lives as long as the cursor and ML.NET copies its arrays out, so the buffer is reused across rows.
            if (dst.Values.Length != grid.VectorLength)
                dst.Values = new float[grid.VectorLength];
            grid.Split(src.Values, dst.Values);
        }, ContractName, input, output);
    }

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(string outputColumn, string inputColumn, ChunkGrid? grid)
    {
        var input = CustomMappingBuilder.Define<ChunkVectorInput>(
            (nameof(ChunkVectorInput.Values), inputColumn, OutputShape.Vector(NumberDataViewType.Single, grid?.ImageLength)));
        var output = CustomMappingBuilder.Define<ChunkVectorOutput>(
            (nameof(ChunkVectorOutput.Values), outputColumn, OutputShape.Vector(NumberDataViewType.Single, grid?.VectorLength)));
        ChunkGridAnnotation.AddTo(output[0], grid);
        return (input, output);
    }

    internal sealed record Settings(string OutputColumnName, string InputColumnName, ChunkGrid Grid);
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
