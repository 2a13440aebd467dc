using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Training;

/// <summary>
/// ML.NET trainer for the chunk CNN: <see cref="Fit"/> reads a label column and a chunk column (the output of
/// <c>SplitChunks</c>), trains with <see cref="ChunkCnnTrainer"/> and returns the plaintext scorer
/// (<see cref="ChunkCnnScoringTransformer"/>: Score, PredictedLabel), whose weights travel in the model zip. The
/// exported weights can be handed to <c>ScoreEncryptedChunkCnn</c> for the encrypted server.
/// Created by <see cref="ChunkCnnTrainerCatalog.ChunkCnn"/>.
/// </summary>
public sealed class ChunkCnnTrainerEstimator : IEstimator<ChunkCnnScoringTransformer>
{
    private readonly MLContext _mlContext;
    private readonly ChunkCnnTrainerOptions _options;

    internal ChunkCnnTrainerEstimator(MLContext mlContext, ChunkCnnTrainerOptions options)
    {
        _mlContext = mlContext;
        _options = options;
        (options.Model ?? ChunkCnnOptions.Stride7).Validate(options.Model?.ChunkSize ?? 28, options.Model?.ChunkSize ?? 28);
        if (!(options.LogitBound > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"LogitBound must be positive; found {options.LogitBound}");
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
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
        return _mlContext.Transforms.ScoreChunkCnn(weights, classNames, _options.ChunksColumnName,
            _options.ScoreColumnName, _options.PredictedLabelColumnName, _options.DescriptorsColumnName ?? "Descriptors").Fit(input);
    }

    /// <inheritdoc/>
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

        // The class count is only known after reading the labels; a shape keeps only the column kinds anyway.
        var settings = new ChunkCnnScoringTransformer.Settings(_options.ChunksColumnName, _options.ScoreColumnName, _options.PredictedLabelColumnName, ["a", "b"]);
        var (inputDefinition, outputDefinition) = ChunkCnnScoringTransformer.Definitions(settings, PlaceholderWeights.For(_options.Model ?? ChunkCnnOptions.Stride7));
        return OutputShape.Of<ChunkCnnScoringInput, ChunkCnnScoringOutput>(_mlContext.Transforms, inputSchema, inputDefinition, outputDefinition);
    }

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

    private static string[] KeyNames(DataViewSchema.Column column, int count)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            column.Annotations.GetValue("KeyValues", ref values);
            return values.DenseValues().Select(v => v.ToString()).ToArray();
        }

        return Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Geometry-only weights, for describing the output shape before training.</summary>
    private static class PlaceholderWeights
    {
        public static ChunkCnnWeights For(ChunkCnnOptions model)
        {
            int o = (model.ChunkSize - model.KernelSize) / model.Stride + 1;
            int features = model.Channels * o * o;
            return new ChunkCnnWeights(model.ChunkSize, model.ChunkSize, model.ChunkSize, model.KernelSize, model.Stride, model.Channels,
                model.HiddenSize, 2, 1, 0, new double[model.Channels * model.KernelSize * model.KernelSize], new double[model.Channels],
                new double[model.HiddenSize * features], new double[model.HiddenSize], new double[2 * model.HiddenSize], new double[2]);
        }
    }
}
