using Microsoft.ML.Data;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Fitted chunk merger, the inverse of <see cref="ChunkSplittingTransformer"/>: reassembles the H x W image from a
/// chunk-major vector and drops any padding. Non-finite values make the row fail with <see cref="InvalidDataException"/>.
/// </summary>
public sealed class ChunkMergingTransformer : ChunkLayoutTransformerBase
{
    internal const string KindName = "ChunkMerger";
    internal const string ContractName = "MLNet.HeChunk.ChunkMerger.v1";

    private ChunkMergingTransformer(TransformsCatalog catalog, Settings settings)
        : base(catalog, settings, toChunks: false, ContractName)
    {
    }

    /// <inheritdoc/>
    private protected override string Kind => KindName;

    internal static ChunkMergingTransformer Create(TransformsCatalog catalog, string output, string input, ChunkGrid grid) =>
        new(catalog, new Settings(output, input, grid));

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state) => new ChunkMergingTransformer(mlContext.Transforms, ReadSettings(state));

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema) =>
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName,
            $"Vector<Single, {Grid.VectorLength}> ({Grid.ChunkCount} chunks of {Grid.ChunkHeight} x {Grid.ChunkWidth})", Grid.VectorLength);

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(string outputColumn, string inputColumn, ChunkGrid? grid) =>
        Definitions(outputColumn, inputColumn, grid, toChunks: false);
}

/// <summary>
/// Estimator for <see cref="ChunkMergingTransformer"/>; created by
/// <see cref="HeChunkCatalog.MergeChunks(TransformsCatalog, string, string?, ChunkMergingOptions?)"/>.
/// </summary>
public sealed class ChunkMergingEstimator : IEstimator<ChunkMergingTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly ChunkMergingOptions _options;
    private readonly ChunkGrid? _grid;

    internal ChunkMergingEstimator(TransformsCatalog catalog, string outputColumnName, string inputColumnName, ChunkMergingOptions options)
    {
        _catalog = catalog;
        _options = options;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _grid = options.ValidateLayout();
        if (_grid is null && options.Padding != ChunkPadding.None)
            throw new ArgumentException(
                $"Merging a padded layout needs the image size: set {nameof(options.ImageHeight)} and {nameof(options.ImageWidth)}.", nameof(options));
    }

    /// <summary>Name of the image column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the chunk column read.</summary>
    public string InputColumnName { get; }

    private string Expected => _grid is null
        ? "known-size Vector<Single> of chunks of a square, unpadded image"
        : $"Vector<Single, {_grid.VectorLength}> ({_grid.ChunkCount} chunks of {_grid.ChunkHeight} x {_grid.ChunkWidth})";

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type or size.</exception>
    public ChunkMergingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = ColumnCheck.RequireSingleVector(input.Schema, InputColumnName, Expected, _grid?.VectorLength);
        // Without an image size the layout is square and unpadded, so the image has as many pixels as the vector.
        var grid = _grid ?? _options.ResolveGrid(InputColumnName, n, input.Schema[InputColumnName].Type.ToString() ?? "");
        return ChunkMergingTransformer.Create(_catalog, OutputColumnName, InputColumnName, grid);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName, Expected);
        var (input, output) = ChunkMergingTransformer.Definitions(OutputColumnName, InputColumnName, _grid);
        return OutputShape.Of<ChunkVectorInput, ChunkVectorOutput>(_catalog, inputSchema, input, output);
    }
}
