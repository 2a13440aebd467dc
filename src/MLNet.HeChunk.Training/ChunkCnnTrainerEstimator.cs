using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Training;

/// <summary>
/// The ML.NET trainer estimator of the chunk CNN (the product brief's training step; created by
/// <see cref="ChunkCnnTrainerCatalog.ChunkCnn"/> on <c>mlContext.MulticlassClassification.Trainers</c>, on the caller's
/// MLContext). <see cref="Fit"/> reads a label column (a key, whose key values become the class names, or text, whose
/// distinct values in ordinal order do) and a chunk column (the output of <c>SplitChunks</c>/<c>PrepareChunks</c>), trains
/// with <see cref="ChunkCnnTrainer"/> and returns the prediction transformer <see cref="ChunkCnnScoringTransformer"/>
/// (Score with the class names as slot names, PredictedLabel keyed by them), whose weights save and load with the pipeline
/// through <c>HeChunkModel.Save</c>/<c>Load</c>. Its <see cref="ChunkCnnScoringTransformer.Weights"/> (the
/// <see cref="IPredictionTransformer{TModel}.Model"/>) go to <c>ScoreEncryptedChunkCnn</c> for the encrypted server.
/// </summary>
/// <remarks>
/// ML.NET's own model persistence is closed to other assemblies (docs/transforms.md), so the prediction transformer is
/// saved by the project's persistence, not by <c>mlContext.Model.Save</c>.
/// </remarks>
public sealed class ChunkCnnTrainerEstimator : ITrainerEstimator<ChunkCnnScoringTransformer, ChunkCnnWeights>
{
    private readonly TransformsCatalog _transforms;
    private readonly ChunkCnnTrainerOptions _options;

    internal ChunkCnnTrainerEstimator(TransformsCatalog transforms, ChunkCnnTrainerOptions options)
    {
        _transforms = transforms;
        _options = options;
        (options.Model ?? ChunkCnnOptions.Stride7).Validate(options.Model?.ChunkSize ?? 28, options.Model?.ChunkSize ?? 28);
        if (!(options.LogitBound > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"LogitBound must be positive; found {options.LogitBound}");
        }
    }

    /// <summary>What the trainer needs of its input: no normalization (the network normalizes inside), no caching, no calibration.</summary>
    public TrainerInfo Info { get; } = ChunkCnnTrainerCatalog.NewTrainerInfo(normalization: false, calibration: false, caching: false,
        supportValid: false, supportIncrementalTrain: false, wantFeatureColumn: true);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    /// <exception cref="InvalidDataException">A row has a missing label.</exception>
    public ChunkCnnScoringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ChunkGrid grid = ResolveGrid(input.Schema);
        (int[] labels, string[] classNames) = ReadLabels(input);
        float[][] chunks = input.GetColumn<VBuffer<float>>(_options.ChunksColumnName).Select(v => v.DenseValues().ToArray()).ToArray();
        var images = new float[chunks.Length][];
        for (int i = 0; i < chunks.Length; i++)
        {
            images[i] = new float[grid.ImageLength];
            grid.Merge(chunks[i], images[i]);
        }

        float[][]? descriptors = _options.DescriptorsColumnName is { } name && input.Schema.GetColumnOrNull(name) is not null
            ? input.GetColumn<VBuffer<float>>(name).Select(v => v.DenseValues().ToArray()).ToArray()
            : null;
        var data = new ImageDataset(images, labels, grid.ImageHeight, grid.ImageWidth, classNames.Length, descriptors);
        using TrainedChunkCnn trained = ChunkCnnTrainer.Train(data, _options.Model, _options.Training, _options.Progress);
        ChunkCnnWeights weights = trained.ExportWithLogitBound(_options.LogitBound);
        return _transforms.ScoreChunkCnn(weights, classNames, _options.ChunksColumnName,
            _options.ScoreColumnName, _options.PredictedLabelColumnName, _options.DescriptorsColumnName ?? "Descriptors").Fit(input);
    }

    /// <summary>
    /// The columns <see cref="Fit"/>'s transformer adds: Score (<c>Vector&lt;Single&gt;</c> with <c>SlotNames</c>) and
    /// PredictedLabel (a key with <c>KeyValues</c>); both annotations hold the class names, which <see cref="Fit"/> takes
    /// from the label's key values (or its text values). A <see cref="SchemaShape"/> records column and annotation kinds,
    /// never sizes or values, so the promise is the same for any class list.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The chunk or label column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnCheck.RequireSingleVector(inputSchema, _options.ChunksColumnName, "known-size Vector<Single> of chunk pixels (from SplitChunks)");
        var label = inputSchema.Where(c => c.Name == _options.LabelColumnName).ToList();
        if (label.Count == 0 || label[^1].Kind != SchemaShape.Column.VectorKind.Scalar || !(label[^1].IsKey || label[^1].ItemType is TextDataViewType))
        {
            throw ColumnCheck.Mismatch(nameof(inputSchema), _options.LabelColumnName, "a scalar key or text label",
                label.Count == 0 ? "no such column" : $"{label[^1].Kind} of {label[^1].ItemType}");
        }

        ChunkCnnOptions model = _options.Model ?? ChunkCnnOptions.Stride7;
        var settings = new ChunkCnnScoringTransformer.Settings(_options.ChunksColumnName, _options.ScoreColumnName, _options.PredictedLabelColumnName,
            ShapeOnlyClassNames);
        var (inputDefinition, outputDefinition) = ChunkCnnScoringTransformer.Definitions(settings, GeometryOnlyWeights(model));
        return OutputShape.Of<ChunkCnnScoringInput, ChunkCnnScoringOutput>(_transforms, inputSchema, inputDefinition, outputDefinition);
    }

    /// <summary>Stands for the class list in a shape, which keeps no annotation values (see <see cref="GetOutputSchema"/>).</summary>
    private static readonly string[] ShapeOnlyClassNames = ["class 1", "class 2"];

    private ChunkGrid ResolveGrid(DataViewSchema schema)
    {
        int length = ColumnCheck.RequireSingleVector(schema, _options.ChunksColumnName, "known-size Vector<Single> of chunk pixels (from SplitChunks)");
        int chunk = (_options.Model ?? ChunkCnnOptions.Stride7).ChunkSize;
        int chunkCount = length / (chunk * chunk);
        int side = (int)Math.Round(Math.Sqrt(chunkCount));
        if (chunkCount * chunk * chunk != length || side * side != chunkCount)
        {
            throw ColumnCheck.Mismatch(nameof(schema), _options.ChunksColumnName,
                $"a square grid of {chunk} x {chunk} chunks", $"a vector of {length} values");
        }

        return new ChunkGrid(side * chunk, side * chunk, chunk, chunk);
    }

    private (int[] Labels, string[] ClassNames) ReadLabels(IDataView input)
    {
        DataViewSchema.Column column = input.Schema.GetColumnOrNull(_options.LabelColumnName)
            ?? throw ColumnCheck.Mismatch(nameof(input), _options.LabelColumnName, "a scalar key or text label", "no such column");
        if (column.Type is KeyDataViewType key)
        {
            int count = checked((int)key.Count);
            string[] names = KeyNames(column, count);
            uint[] keys = input.GetColumn<uint>(column.Name).ToArray();
            if (keys.Any(k => k == 0))
            {
                throw new InvalidDataException($"Column '{column.Name}': a row has a missing label (key 0)");
            }

            return (keys.Select(k => (int)k - 1).ToArray(), names);
        }

        if (column.Type is TextDataViewType)
        {
            string[] values = input.GetColumn<ReadOnlyMemory<char>>(column.Name).Select(v => v.ToString()).ToArray();
            // Ordinal order matches MapValueToKey(keyOrdinality: ByValue), so evaluation keys line up with scores.
            string[] names = values.Distinct().Order(StringComparer.Ordinal).ToArray();
            var index = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
            return (values.Select(v => index[v]).ToArray(), names);
        }

        throw ColumnCheck.Mismatch(nameof(input), column.Name, "a scalar key or text label", column.Type.ToString() ?? "?");
    }

    /// <summary>The label's key values (the class names); key numbers as text when the key column has none.</summary>
    private static string[] KeyNames(DataViewSchema.Column column, int count)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.Annotations.GetValue("KeyValues", ref values);
            return values.DenseValues().Select(v => v.ToString()).ToArray();
        }

        return Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Zero weights of the right geometry: the scorer's column definitions depend on the chunk layout only.</summary>
    private static ChunkCnnWeights GeometryOnlyWeights(ChunkCnnOptions model)
    {
        int o = (model.ChunkSize - model.KernelSize) / model.Stride + 1;
        int features = model.Channels * o * o;
        int classes = ShapeOnlyClassNames.Length;
        return new ChunkCnnWeights(model.ChunkSize, model.ChunkSize, model.ChunkSize, model.KernelSize, model.Stride, model.Channels,
            model.HiddenSize, classes, 1, 0, new double[model.Channels * model.KernelSize * model.KernelSize], new double[model.Channels],
            new double[model.HiddenSize * features], new double[model.HiddenSize], new double[classes * model.HiddenSize], new double[classes]);
    }
}
