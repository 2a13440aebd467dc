using Microsoft.ML.Data;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Fitted score decryptor (client side): turns the server's encrypted logits into <c>Score</c> (class
/// probabilities, slot names = class names) and <c>PredictedLabel</c> (key), ready for
/// <c>mlContext.MulticlassClassification.Evaluate</c>. It holds the secret key in memory but never saves it: a model
/// zip containing it must be loaded with the key set passed to <see cref="HeChunkModel.Load(MLContext, string, out DataViewSchema, HeChunkKeys?)"/>.
/// </summary>
public sealed class ScoreDecryptingTransformer : HeChunkTransformerBase
{
    internal const string KindName = "ScoreDecrypting";
    internal const string ContractName = "MLNet.HeChunk.ScoreDecrypting.v1";
    private const int StateVersion = 1;

    private readonly Settings _settings;

    private ScoreDecryptingTransformer(TransformsCatalog catalog, Settings settings, HeChunkKeys keys)
        : base(BuildMapping(catalog, settings, keys)) => _settings = settings;

    /// <summary>Name of the encrypted column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>Name of the score column written.</summary>
    public string ScoreColumnName => _settings.ScoreColumnName;

    /// <summary>Name of the predicted-label column written.</summary>
    public string PredictedLabelColumnName => _settings.PredictedLabelColumnName;

    /// <summary>Class names, in score order.</summary>
    public IReadOnlyList<string> ClassNames => _settings.ClassNames;

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState() => new HeChunkTransformerState(KindName, StateVersion).AddJson("options.json", _settings);

    internal static ScoreDecryptingTransformer Create(TransformsCatalog catalog, Settings settings, HeChunkKeys keys) => new(catalog, settings, keys);

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        var settings = state.GetJson<Settings>("options.json");
        return new ScoreDecryptingTransformer(mlContext.Transforms, settings, HeChunkLoadKeys.RequireSecret(KindName, settings.KeySetId));
    }

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema) => ScoreDecryptingEstimator.RequireBytes(inputSchema, InputColumnName);

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s, HeChunkKeys keys)
    {
        var (input, output) = Definitions(s);
        var decryptor = new ScoreDecryptor(keys);
        ScoreNoiseFlooding? flooding = s.FloodingBits > 0 ? new ScoreNoiseFlooding(s.FloodingBits) : null;
        int classes = s.ClassNames.Length;
        return CustomMappingBuilder.Build<ScoreDecryptingInput, ScoreDecryptingOutput>(catalog, (src, dst) =>
        {
            var scores = EncryptedScores.FromBytes(src.Encrypted, keys);
            if (scores.ClassCount != classes)
            {
                throw new InvalidDataException($"the encrypted scores hold {scores.ClassCount} classes; the decryptor was built for {classes}");
            }

            dst.Score = ScoreDecryptor.Softmax(decryptor.DecryptLogits(scores, flooding));
            dst.PredictedLabel = ClassColumns.ArgMaxKey(dst.Score);
        }, ContractName, input, output);
    }

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(Settings s)
    {
        var input = CustomMappingBuilder.Define<ScoreDecryptingInput>(
            (nameof(ScoreDecryptingInput.Encrypted), s.InputColumnName, new VectorDataViewType(NumberDataViewType.Byte)));
        var output = CustomMappingBuilder.Define<ScoreDecryptingOutput>(
            (nameof(ScoreDecryptingOutput.Score), s.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, s.ClassNames.Length)),
            (nameof(ScoreDecryptingOutput.PredictedLabel), s.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), s.ClassNames.Length)));
        ClassColumns.Annotate(output[0], output[1], s.ClassNames);
        return (input, output);
    }

    internal sealed record Settings(string InputColumnName, string ScoreColumnName, string PredictedLabelColumnName, string[] ClassNames, string KeySetId,
        int FloodingBits = 0);
}

/// <summary>Estimator for <see cref="ScoreDecryptingTransformer"/>; created by <see cref="HeChunkCatalog.DecryptScores"/>.</summary>
public sealed class ScoreDecryptingEstimator : IEstimator<ScoreDecryptingTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly ScoreDecryptingTransformer.Settings _settings;
    private readonly HeChunkKeys _keys;

    internal ScoreDecryptingEstimator(TransformsCatalog catalog, HeChunkKeys keys, IReadOnlyList<string> classNames, string inputColumnName,
        string scoreColumnName, string predictedLabelColumnName, int floodingBits)
    {
        ClassColumns.RequireClassNames(classNames);
        ArgumentOutOfRangeException.ThrowIfNegative(floodingBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(floodingBits, 128);
        if (!keys.HasSecretKey)
        {
            throw new ArgumentException("decrypting scores needs the key set's secret key; this key set is public-only", nameof(keys));
        }

        _catalog = catalog;
        _keys = keys;
        _settings = new ScoreDecryptingTransformer.Settings(inputColumnName, scoreColumnName, predictedLabelColumnName, [.. classNames], keys.KeySetId, floodingBits);
    }

    /// <inheritdoc/>
    public ScoreDecryptingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireBytes(input.Schema, _settings.InputColumnName);
        return ScoreDecryptingTransformer.Create(_catalog, _settings, _keys);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var found = inputSchema.Where(c => c.Name == _settings.InputColumnName).ToList();
        if (found.Count == 0 || found[^1].ItemType != NumberDataViewType.Byte || found[^1].Kind == SchemaShape.Column.VectorKind.Scalar)
        {
            throw ColumnCheck.Mismatch(nameof(inputSchema), _settings.InputColumnName, "Vector<Byte> (serialized encrypted scores)",
                found.Count == 0 ? "no such column" : $"{found[^1].Kind} of {found[^1].ItemType}");
        }

        var (input, output) = ScoreDecryptingTransformer.Definitions(_settings);
        return OutputShape.Of<ScoreDecryptingInput, ScoreDecryptingOutput>(_catalog, inputSchema, input, output);
    }

    internal static void RequireBytes(DataViewSchema schema, string column)
    {
        var found = schema.GetColumnOrNull(column)
            ?? throw ColumnCheck.Mismatch(nameof(schema), column, "Vector<Byte> (serialized encrypted data)", "no such column");
        if (found.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Byte)
        {
            throw ColumnCheck.Mismatch(nameof(schema), column, "Vector<Byte> (serialized encrypted data)", found.Type.ToString() ?? "?");
        }
    }
}
