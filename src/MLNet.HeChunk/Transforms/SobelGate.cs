using Microsoft.ML.Data;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Gating;
using MLNet.HeChunk.Imaging;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Fitted Sobel gate (the product brief's <b>SobelGate</b>): from each row's whole image, computes the Sobel gradient magnitude, scores every chunk of
/// <see cref="Grid"/> and writes the paper's signed chunk index (<see cref="OutputColumnName"/>,
/// <c>Vector&lt;Int32, k&gt;</c>: +i for a feature chunk i, -i otherwise, i = 1..k row-major) and the scores
/// (<see cref="ScoresColumnName"/>, <c>Vector&lt;Single, k&gt;</c>). See <see cref="SobelChunkScorer"/>.
/// Non-finite pixels make the row fail with <see cref="InvalidDataException"/>.
/// </summary>
public sealed class SobelGateTransformer : HeChunkTransformerBase
{
    internal const string KindName = "SobelGate";
    internal const string ContractName = "MLNet.HeChunk.SobelGate.v1";
    private const int StateVersion = 1;

    private readonly Settings _settings;

    private SobelGateTransformer(TransformsCatalog catalog, Settings settings)
        : base(BuildMapping(catalog, settings)) => _settings = settings;

    /// <summary>Name of the signed-index column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>Name of the score column written.</summary>
    public string ScoresColumnName => _settings.ScoresColumnName;

    /// <summary>Name of the image column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>The chunk layout fixed at fit time.</summary>
    public ChunkGrid Grid => _settings.Grid;

    /// <summary>The per-chunk statistic.</summary>
    public ChunkStatistic Statistic => _settings.Statistic;

    /// <summary>The magnitude scale.</summary>
    public GradientScale Scale => _settings.Scale;

    /// <summary>The threshold a score must exceed for a feature chunk.</summary>
    public double Threshold => _settings.Threshold;

    /// <summary>The pixel level used by <see cref="ChunkStatistic.FractionAbove"/>.</summary>
    public double FractionLevel => _settings.FractionLevel;

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState() =>
        new HeChunkTransformerState(KindName, StateVersion).AddJson("options.json", _settings);

    internal static SobelGateTransformer Create(TransformsCatalog catalog, string output, string input, ChunkGrid grid, SobelGateOptions options) =>
        new(catalog, new Settings(output, options.ScoresColumnName, input, grid, options.Statistic, options.Scale, options.Threshold, options.FractionLevel));

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        return new SobelGateTransformer(mlContext.Transforms, state.GetJson<Settings>("options.json"));
    }

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema) =>
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName,
            $"Vector<Single, {Grid.ImageLength}> ({Grid.ImageHeight} x {Grid.ImageWidth} image)", Grid.ImageLength);

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s)
    {
        var grid = s.Grid;
        int k = grid.ChunkCount;
        var (input, output) = Definitions(s.OutputColumnName, s.ScoresColumnName, s.InputColumnName, grid);
        var scorer = new SobelChunkScorer(grid, s.Statistic, s.Scale, s.Threshold, s.FractionLevel);
        string column = s.InputColumnName;
        return CustomMappingBuilder.Build<SobelGateInput, SobelGateOutput>(catalog, (src, dst) =>
        {
            RowValues.Require(src.Pixels, grid.ImageLength, column);
            dst.Index = RowValues.Reuse(dst.Index, k);
            dst.Scores = RowValues.Reuse(dst.Scores, k);
            scorer.Score(src.Pixels, dst.Scores, dst.Index);
        }, ContractName, input, output);
    }

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(string indexColumn, string scoresColumn, string inputColumn, ChunkGrid? grid) =>
        (CustomMappingBuilder.Define<SobelGateInput>(
            (nameof(SobelGateInput.Pixels), inputColumn, OutputShape.Vector(NumberDataViewType.Single, grid?.ImageLength))),
         CustomMappingBuilder.Define<SobelGateOutput>(
            (nameof(SobelGateOutput.Index), indexColumn, OutputShape.Vector(NumberDataViewType.Int32, grid?.ChunkCount)),
            (nameof(SobelGateOutput.Scores), scoresColumn, OutputShape.Vector(NumberDataViewType.Single, grid?.ChunkCount))));

    internal sealed record Settings(string OutputColumnName, string ScoresColumnName, string InputColumnName, ChunkGrid Grid,
        ChunkStatistic Statistic, GradientScale Scale, double Threshold, double FractionLevel);
}

/// <summary>
/// Estimator for <see cref="SobelGateTransformer"/> (the brief's SobelGate); created by
/// <see cref="HeChunkCatalog.SobelGate(TransformsCatalog, string, string?, SobelGateOptions?)"/>.
/// Nothing is learned: fitting fixes the grid from the options and the input vector's size.
/// </summary>
public sealed class SobelGateEstimator : IEstimator<SobelGateTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly SobelGateOptions _options;
    private readonly ChunkGrid? _grid;

    internal SobelGateEstimator(TransformsCatalog catalog, string outputColumnName, string inputColumnName, SobelGateOptions options)
    {
        _catalog = catalog;
        _options = options;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        _grid = options.ValidateLayout();
        options.ValidateScoring(outputColumnName);
    }

    /// <summary>Name of the signed-index column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the image column read.</summary>
    public string InputColumnName { get; }

    private string Expected => _grid is null
        ? "known-size Vector<Single> of a square grayscale image"
        : $"Vector<Single, {_grid.ImageLength}> ({_grid.ImageHeight} x {_grid.ImageWidth} image)";

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, of the wrong type or size, or smaller than a chunk.</exception>
    public SobelGateTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = ColumnCheck.RequireSingleVector(input.Schema, InputColumnName, Expected);
        var grid = _options.ResolveGrid(InputColumnName, n, input.Schema[InputColumnName].Type.ToString() ?? "");
        return SobelGateTransformer.Create(_catalog, OutputColumnName, InputColumnName, grid, _options);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName, Expected);
        var (input, output) = SobelGateTransformer.Definitions(OutputColumnName, _options.ScoresColumnName, InputColumnName, _grid);
        return OutputShape.Of<SobelGateInput, SobelGateOutput>(_catalog, inputSchema, input, output);
    }
}
