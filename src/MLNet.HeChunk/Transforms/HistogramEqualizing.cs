using Microsoft.ML.Data;
using MLNet.HeChunk.Imaging;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Fitted histogram equalizer: replaces a grayscale pixel vector (0-255) by its equalized version, per row
/// (see <see cref="HistogramEqualizer"/> for the formula, rounding and clamping). Non-finite pixels make the row
/// fail with <see cref="InvalidDataException"/>.
/// </summary>
public sealed class HistogramEqualizingTransformer : HeChunkTransformerBase
{
    internal const string KindName = "HistogramEqualizer";
    internal const string ContractName = "MLNet.HeChunk.HistogramEqualizer.v1";
    private const int StateVersion = 1;

    private readonly Settings _settings;

    private HistogramEqualizingTransformer(TransformsCatalog catalog, Settings settings)
        : base(BuildMapping(catalog, settings)) => _settings = settings;

    /// <summary>Name of the column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>Name of the pixel column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>Number of pixels per row, fixed at fit time.</summary>
    public int PixelCount => _settings.PixelCount;

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState() =>
        new HeChunkTransformerState(KindName, StateVersion).AddJson("options.json", _settings);

    internal static HistogramEqualizingTransformer Create(TransformsCatalog catalog, string output, string input, int pixelCount) =>
        new(catalog, new Settings(output, input, pixelCount));

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        return new HistogramEqualizingTransformer(mlContext.Transforms, state.GetJson<Settings>("options.json"));
    }

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema) =>
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName, $"Vector<Single, {PixelCount}>", PixelCount);

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s)
    {
        var (input, output) = Definitions(s.OutputColumnName, s.InputColumnName, s.PixelCount);
        string column = s.InputColumnName;
        int n = s.PixelCount;
        return CustomMappingBuilder.Build<HistogramEqualizingInput, HistogramEqualizingOutput>(catalog, (src, dst) =>
        {
            RowValues.Require(src.Pixels, n, column);
            dst.Equalized = RowValues.Reuse(dst.Equalized, n);
            HistogramEqualizer.Equalize(src.Pixels, dst.Equalized);
        }, ContractName, input, output);
    }

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(string outputColumn, string inputColumn, int? pixelCount)
    {
        var type = OutputShape.Vector(NumberDataViewType.Single, pixelCount);
        return (CustomMappingBuilder.Define<HistogramEqualizingInput>((nameof(HistogramEqualizingInput.Pixels), inputColumn, type)),
                CustomMappingBuilder.Define<HistogramEqualizingOutput>((nameof(HistogramEqualizingOutput.Equalized), outputColumn, type)));
    }

    internal sealed record Settings(string OutputColumnName, string InputColumnName, int PixelCount);
}

/// <summary>
/// Estimator for <see cref="HistogramEqualizingTransformer"/>; created by
/// <see cref="HeChunkCatalog.EqualizeHistogram(TransformsCatalog, string, string?)"/>. Nothing is learned: fitting
/// only fixes the pixel count from the input schema.
/// </summary>
public sealed class HistogramEqualizingEstimator : IEstimator<HistogramEqualizingTransformer>
{
    private const string Expected = "known-size Vector<Single> of grayscale pixels on 0-255";
    private readonly TransformsCatalog _catalog;

    internal HistogramEqualizingEstimator(TransformsCatalog catalog, string outputColumnName, string inputColumnName)
    {
        _catalog = catalog;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
    }

    /// <summary>Name of the column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the pixel column read.</summary>
    public string InputColumnName { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a known-size vector of Single.</exception>
    public HistogramEqualizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = ColumnCheck.RequireSingleVector(input.Schema, InputColumnName, Expected);
        return HistogramEqualizingTransformer.Create(_catalog, OutputColumnName, InputColumnName, n);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName, Expected);
        var (input, output) = HistogramEqualizingTransformer.Definitions(OutputColumnName, InputColumnName, null);
        return OutputShape.Of<HistogramEqualizingInput, HistogramEqualizingOutput>(_catalog, inputSchema, input, output);
    }
}
