using Microsoft.ML.Data;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// The trained chunk CNN scoring plaintext chunks: <c>Score</c> (softmax probabilities, slot names = class names) and
/// <c>PredictedLabel</c> (key). The weights travel in the model zip. The prediction transformer of the chunk-CNN trainer
/// estimator (<c>mlContext.MulticlassClassification.Trainers.ChunkCnn()</c> in MLNet.HeChunk.Training), or built directly
/// from weights with <see cref="HeChunkCatalog.ScoreChunkCnn"/>.
/// </summary>
public sealed class ChunkCnnScoringTransformer : HeChunkTransformerBase, ISingleFeaturePredictionTransformer<ChunkCnnWeights>
{
    internal const string KindName = "ChunkCnnScoring";
    internal const string ContractName = "MLNet.HeChunk.ChunkCnnScoring.v1";
    internal const string DescribedContractName = "MLNet.HeChunk.ChunkCnnScoring.Described.v1";
    private const int StateVersion = 1;
    private const string WeightsBlob = "weights.bin";

    private readonly Settings _settings;

    private ChunkCnnScoringTransformer(TransformsCatalog catalog, Settings settings, ChunkCnnWeights weights)
        : base(BuildMapping(catalog, settings, weights))
    {
        _settings = settings;
        Weights = weights;
    }

    /// <summary>The trained weights.</summary>
    public ChunkCnnWeights Weights { get; }

    /// <summary>Class names, in score order.</summary>
    public IReadOnlyList<string> ClassNames => _settings.ClassNames;

    /// <summary>Name of the chunk column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>The trained weights (<see cref="Weights"/>), as ML.NET's prediction transformers name their model.</summary>
    ChunkCnnWeights IPredictionTransformer<ChunkCnnWeights>.Model => Weights;

    /// <summary>The chunk column: the feature column of this prediction transformer.</summary>
    string ISingleFeaturePredictionTransformer<ChunkCnnWeights>.FeatureColumnName => _settings.InputColumnName;

    /// <summary>The chunk column's type: <c>Vector&lt;Single, chunks x side x side&gt;</c>.</summary>
    DataViewType ISingleFeaturePredictionTransformer<ChunkCnnWeights>.FeatureColumnType =>
        new VectorDataViewType(NumberDataViewType.Single, Weights.ChunkCount * Weights.ChunkSize * Weights.ChunkSize);

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState() => new HeChunkTransformerState(KindName, StateVersion)
        .AddJson("options.json", _settings)
        .Add(WeightsBlob, ChunkCnnWeightsSerializer.Serialize(Weights));

    internal static ChunkCnnScoringTransformer Create(TransformsCatalog catalog, Settings settings, ChunkCnnWeights weights)
    {
        if (settings.ClassNames.Length != weights.ClassCount)
        {
            throw new ArgumentException($"{settings.ClassNames.Length} class names for a model of {weights.ClassCount} classes");
        }

        return new(catalog, settings, weights);
    }

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        return Create(mlContext.Transforms, state.GetJson<Settings>("options.json"), ChunkCnnStateWeights.Read(state, WeightsBlob));
    }

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema)
    {
        int length = Weights.ChunkCount * Weights.ChunkSize * Weights.ChunkSize;
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName,
            $"Vector<Single, {length}> ({Weights.ChunkCount} chunks of {Weights.ChunkSize} x {Weights.ChunkSize})", length);
        if (Weights.DescriptorHead is { } head)
        {
            ColumnCheck.RequireSingleVector(inputSchema, _settings.DescriptorsColumnName, $"Vector<Single, {head.InputCount}> of texture descriptors (the model has a descriptor head)", head.InputCount);
        }
    }

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s, ChunkCnnWeights weights)
    {
        var (input, output) = Definitions(s, weights);
        var cnn = new PlainChunkCnn(weights);
        int length = weights.ChunkCount * weights.ChunkSize * weights.ChunkSize;
        if (weights.DescriptorHead is { } head)
        {
            return CustomMappingBuilder.Build<ChunkCnnScoringDescribedInput, ChunkCnnScoringOutput>(catalog, (src, dst) =>
            {
                Imaging.PixelGuard.RequireLength(src.Chunks.Length, length, s.InputColumnName);
                Imaging.PixelGuard.RequireFinite(src.Chunks, s.InputColumnName);
                Imaging.PixelGuard.RequireLength(src.Descriptors.Length, head.InputCount, s.DescriptorsColumnName);
                Imaging.PixelGuard.RequireFinite(src.Descriptors, s.DescriptorsColumnName);
                dst.Score = ScoreDecryptor.Softmax(cnn.Logits(src.Chunks, src.Descriptors));
                dst.PredictedLabel = ClassColumns.ArgMaxKey(dst.Score);
            }, DescribedContractName, input, output);
        }

        return CustomMappingBuilder.Build<ChunkCnnScoringInput, ChunkCnnScoringOutput>(catalog, (src, dst) =>
        {
            Imaging.PixelGuard.RequireLength(src.Chunks.Length, length, s.InputColumnName);
            Imaging.PixelGuard.RequireFinite(src.Chunks, s.InputColumnName);
            dst.Score = ScoreDecryptor.Softmax(cnn.Logits(src.Chunks));
            dst.PredictedLabel = ClassColumns.ArgMaxKey(dst.Score);
        }, ContractName, input, output);
    }

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(Settings s, ChunkCnnWeights weights)
    {
        var chunks = new VectorDataViewType(NumberDataViewType.Single, weights.ChunkCount * weights.ChunkSize * weights.ChunkSize);
        var input = weights.DescriptorHead is { } head
            ? CustomMappingBuilder.Define<ChunkCnnScoringDescribedInput>(
                (nameof(ChunkCnnScoringDescribedInput.Chunks), s.InputColumnName, chunks),
                (nameof(ChunkCnnScoringDescribedInput.Descriptors), s.DescriptorsColumnName, new VectorDataViewType(NumberDataViewType.Single, head.InputCount)))
            : CustomMappingBuilder.Define<ChunkCnnScoringInput>((nameof(ChunkCnnScoringInput.Chunks), s.InputColumnName, chunks));
        var output = CustomMappingBuilder.Define<ChunkCnnScoringOutput>(
            (nameof(ChunkCnnScoringOutput.Score), s.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, s.ClassNames.Length)),
            (nameof(ChunkCnnScoringOutput.PredictedLabel), s.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), s.ClassNames.Length)));
        ClassColumns.Annotate(output[0], output[1], s.ClassNames);
        return (input, output);
    }

    internal sealed record Settings(string InputColumnName, string ScoreColumnName, string PredictedLabelColumnName, string[] ClassNames,
        string DescriptorsColumnName = "Descriptors");

    /// <summary>The schema shape the scorer writes for an input shape (the input type depends on whether the model has a descriptor head).</summary>
    internal static SchemaShape OutputShapeOf(TransformsCatalog catalog, SchemaShape inputShape, Settings s, ChunkCnnWeights weights)
    {
        var (input, output) = Definitions(s, weights);
        return weights.DescriptorHead is null
            ? OutputShape.Of<ChunkCnnScoringInput, ChunkCnnScoringOutput>(catalog, inputShape, input, output)
            : OutputShape.Of<ChunkCnnScoringDescribedInput, ChunkCnnScoringOutput>(catalog, inputShape, input, output);
    }
}

/// <summary>
/// The encrypted chunk CNN as a transformer (server side; the product brief's <b>EncryptedCnnScorer</b>): reads each row's serialized encrypted chunk group and
/// writes serialized encrypted scores, with evaluation keys only. The weights and the public keys travel in the
/// model zip; the secret key never does.
/// </summary>
public sealed class EncryptedCnnScoringTransformer : HeChunkTransformerBase
{
    internal const string KindName = "EncryptedCnnScoring";
    internal const string ContractName = "MLNet.HeChunk.EncryptedCnnScoring.v1";
    private const int StateVersion = 1;
    private const string WeightsBlob = "weights.bin";
    private const string KeysBlob = "public-keys.bin";

    private readonly Settings _settings;
    private readonly HeChunkKeys _keys;

    private EncryptedCnnScoringTransformer(TransformsCatalog catalog, Settings settings, ChunkCnnWeights weights, HeChunkKeys keys)
        : this(catalog, settings, new EncryptedChunkCnn(weights, keys, settings.DegreeOfParallelism), keys)
    {
    }

    private EncryptedCnnScoringTransformer(TransformsCatalog catalog, Settings settings, EncryptedChunkCnn model, HeChunkKeys keys)
        : base(BuildMapping(catalog, settings, model, keys))
    {
        _settings = settings;
        _keys = keys;
        Model = model;
    }

    /// <summary>The encrypted evaluator (its weights, packing and required rotations).</summary>
    public EncryptedChunkCnn Model { get; }

    /// <summary>Name of the encrypted chunk column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>Name of the encrypted score column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState()
    {
        using var keys = new MemoryStream();
        _keys.SavePublic(keys);
        return new HeChunkTransformerState(KindName, StateVersion)
            .AddJson("options.json", _settings)
            .Add(WeightsBlob, ChunkCnnWeightsSerializer.Serialize(Model.Weights))
            .Add(KeysBlob, keys.ToArray());
    }

    internal static EncryptedCnnScoringTransformer Create(TransformsCatalog catalog, Settings settings, ChunkCnnWeights weights, HeChunkKeys keys)
        => new(catalog, settings, weights, keys.PublicOnly());

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        return Create(mlContext.Transforms, state.GetJson<Settings>("options.json"), ChunkCnnStateWeights.Read(state, WeightsBlob),
            HeChunkKeys.LoadPublic(new MemoryStream(state.Get(KeysBlob)), Persistence.HeChunkLoadKeys.AcceptedSecurity));
    }

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema) => ScoreDecryptingEstimator.RequireBytes(inputSchema, InputColumnName);

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s, EncryptedChunkCnn model, HeChunkKeys keys)
    {
        var (input, output) = Definitions(s);
        return CustomMappingBuilder.Build<EncryptedCnnScoringInput, EncryptedCnnScoringOutput>(catalog, (src, dst) =>
        {
            EncryptedChunkGroup group = EncryptedChunkGroup.FromBytes(src.Encrypted, keys);
            try
            {
                dst.Scores = model.Score(group).ToBytes();
            }
            catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or DivideByZeroException)
            {
                // A well-formed group that does not fit this model (another packing, grid or mode): one documented type.
                throw new InvalidDataException($"encrypted chunk group does not fit the chunk CNN: {e.Message}", e);
            }
        }, ContractName, input, output);
    }

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(Settings s) =>
        (CustomMappingBuilder.Define<EncryptedCnnScoringInput>(
            (nameof(EncryptedCnnScoringInput.Encrypted), s.InputColumnName, new VectorDataViewType(NumberDataViewType.Byte))),
         CustomMappingBuilder.Define<EncryptedCnnScoringOutput>(
            (nameof(EncryptedCnnScoringOutput.Scores), s.OutputColumnName, new VectorDataViewType(NumberDataViewType.Byte))));

    internal sealed record Settings(string OutputColumnName, string InputColumnName, int DegreeOfParallelism);
}

/// <summary>Reads trained weights from a transformer's saved state, turning a damaged blob into a clear error.</summary>
internal static class ChunkCnnStateWeights
{
    public static ChunkCnnWeights Read(HeChunkTransformerState state, string blob)
    {
        try
        {
            return ChunkCnnWeightsSerializer.Deserialize(state.Get(blob));
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException($"the '{state.Kind}' transformer's weights are damaged: {e.Message}", e);
        }
    }
}

/// <summary>
/// A trivial estimator around an already-built scoring transformer (fitting learns nothing), so that scorers can be
/// appended to a pipeline. Checks the input column when asked for the output schema.
/// </summary>
/// <typeparam name="T">The scoring transformer.</typeparam>
public sealed class FixedScorerEstimator<T> : IEstimator<T>
    where T : HeChunkTransformerBase
{
    private readonly T _transformer;
    private readonly Func<SchemaShape, SchemaShape> _outputSchema;

    internal FixedScorerEstimator(T transformer, Func<SchemaShape, SchemaShape> outputSchema)
    {
        _transformer = transformer;
        _outputSchema = outputSchema;
    }

    /// <inheritdoc/>
    public T Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return _outputSchema(inputSchema);
    }
}
