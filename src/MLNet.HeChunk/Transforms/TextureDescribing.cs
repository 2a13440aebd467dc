using Microsoft.ML.Data;
using MLNet.HeChunk.Imaging;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Fitted texture describer: replaces a planar colour (or grey) image on 0-255 by its <see cref="TextureFeatures"/>
/// descriptors, per row. The client computes them on its own image; they travel encrypted to the descriptor head of the
/// chunk CNN. Non-finite pixels make the row fail with <see cref="InvalidDataException"/>.
/// </summary>
public sealed class TextureDescribingTransformer : HeChunkTransformerBase
{
    internal const string KindName = "TextureDescriber";
    internal const string ContractName = "MLNet.HeChunk.TextureDescriber.v1";
    private const int StateVersion = 1;

    private readonly Settings _settings;

    private TextureDescribingTransformer(TransformsCatalog catalog, Settings settings)
        : base(BuildMapping(catalog, settings)) => _settings = settings;

    /// <summary>Name of the column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>Name of the pixel column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>Channels of the image (1 or 3).</summary>
    public int Channels => _settings.Channels;

    /// <summary>Side of the square image.</summary>
    public int Side => _settings.Side;

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState() =>
        new HeChunkTransformerState(KindName, StateVersion).AddJson("options.json", _settings);

    internal static TextureDescribingTransformer Create(TransformsCatalog catalog, string output, string input, int channels, int side) =>
        new(catalog, new Settings(output, input, channels, side));

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        return new TextureDescribingTransformer(mlContext.Transforms, state.GetJson<Settings>("options.json"));
    }

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema) =>
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName, $"Vector<Single, {Channels * Side * Side}>", Channels * Side * Side);

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s)
    {
        var (input, output) = Definitions(s.OutputColumnName, s.InputColumnName, s.Channels * s.Side * s.Side, TextureFeatures.Count(s.Channels));
        string column = s.InputColumnName;
        int n = s.Channels * s.Side * s.Side;
        return CustomMappingBuilder.Build<TextureDescribingInput, TextureDescribingOutput>(catalog, (src, dst) =>
        {
            RowValues.Require(src.Pixels, n, column);
            dst.Descriptors = TextureFeatures.Compute(src.Pixels, s.Channels, s.Side, s.Side);
        }, ContractName, input, output);
    }

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(string outputColumn, string inputColumn, int? pixelCount, int descriptorCount)
    {
        return (CustomMappingBuilder.Define<TextureDescribingInput>((nameof(TextureDescribingInput.Pixels), inputColumn, OutputShape.Vector(NumberDataViewType.Single, pixelCount))),
                CustomMappingBuilder.Define<TextureDescribingOutput>((nameof(TextureDescribingOutput.Descriptors), outputColumn, OutputShape.Vector(NumberDataViewType.Single, descriptorCount))));
    }

    internal sealed record Settings(string OutputColumnName, string InputColumnName, int Channels, int Side);
}

/// <summary>
/// Estimator for <see cref="TextureDescribingTransformer"/>; created by
/// <see cref="HeChunkCatalog.DescribeTexture(TransformsCatalog, string, string, int)"/>. Nothing is learned: fitting
/// only checks the pixel count against the channel count and fixes the image side.
/// </summary>
public sealed class TextureDescribingEstimator : IEstimator<TextureDescribingTransformer>
{
    private readonly TransformsCatalog _catalog;

    internal TextureDescribingEstimator(TransformsCatalog catalog, string outputColumnName, string inputColumnName, int channels)
    {
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Texture descriptors take 1 (grey) or 3 (planar RGB) channels.");
        _catalog = catalog;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        Channels = channels;
    }

    /// <summary>Name of the column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the pixel column read.</summary>
    public string InputColumnName { get; }

    /// <summary>Channels of the image (1 or 3).</summary>
    public int Channels { get; }

    private string Expected => $"known-size Vector<Single> of {Channels} square planar channel(s) on 0-255";

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing, not a known-size vector of Single, or not a square image of the channel count.</exception>
    public TextureDescribingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int n = ColumnCheck.RequireSingleVector(input.Schema, InputColumnName, Expected);
        int side = (int)Math.Round(Math.Sqrt(n / (double)Channels));
        if (side * side * Channels != n || side < 9)
            throw new ArgumentOutOfRangeException(nameof(input), $"Column '{InputColumnName}': expected {Expected}, found {n} values.");
        return TextureDescribingTransformer.Create(_catalog, OutputColumnName, InputColumnName, Channels, side);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName, Expected);
        var (input, output) = TextureDescribingTransformer.Definitions(OutputColumnName, InputColumnName, null, Imaging.TextureFeatures.Count(Channels));
        return OutputShape.Of<TextureDescribingInput, TextureDescribingOutput>(_catalog, inputSchema, input, output);
    }
}
