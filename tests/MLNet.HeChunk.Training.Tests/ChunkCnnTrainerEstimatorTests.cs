using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Transforms;
using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>The ML.NET face of the trainer: IDataView in, a plaintext scorer out that evaluates and saves like any transformer.</summary>
public sealed class ChunkCnnTrainerEstimatorTests
{
    private static readonly string[] Names = ["horizontal", "vertical", "diagonal", "checker", "dots", "noise"];

    private sealed class Row
    {
        public string Label { get; set; } = "";

        [VectorType(4 * 28 * 28)]
        public float[] Chunks { get; set; } = [];
    }

    private sealed class LabelOnly
    {
        public string Label { get; set; } = "";
    }

    private static IDataView Rows(MLContext ml, int perClass, int seed)
    {
        ImageDataset images = SyntheticPatterns.Generate(perClass, 56, seed);
        var grid = new ChunkGrid(56, 56, 28, 28);
        var rows = new List<Row>();
        for (int i = 0; i < images.Count; i++)
        {
            var chunks = new float[grid.VectorLength];
            grid.Split(images.Images[i], chunks);
            rows.Add(new Row { Label = Names[images.Labels[i]], Chunks = chunks });
        }

        return ml.Data.LoadFromEnumerable(rows);
    }

    private static ChunkCnnTrainerOptions Options(List<EpochProgress> epochs) => new()
    {
        Training = new TrainingOptions { Seed = 7, MaxEpochs = 12, Patience = 12, BatchSize = 16, LearningRate = 3e-3, Augmentation = AugmentationOptions.None },
        Progress = new SynchronousProgress<EpochProgress>(epochs.Add),
    };

    [Fact]
    public void FitTrainsAScorerThatMLNetEvaluatesSavesAndReloads()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = Rows(ml, 40, seed: 1), test = Rows(ml, 20, seed: 2);
        var epochs = new List<EpochProgress>();
        var estimator = ml.MulticlassClassification.Trainers.ChunkCnn(Options(epochs));

        // Promised schema == produced schema (kinds; the class count is known only after training).
        SchemaShape promised = estimator.GetOutputSchema(ShapeOf(train.Schema));
        var scorer = estimator.Fit(train);
        Assert.NotEmpty(epochs);
        var scored = scorer.Transform(test);
        SchemaShape produced = ShapeOf(scored.Schema);
        foreach (string column in new[] { "Score", "PredictedLabel" })
        {
            var expected = promised.Single(c => c.Name == column);
            var actual = produced.Single(c => c.Name == column);
            Assert.Equal((expected.Kind, expected.ItemType.RawType, expected.IsKey), (actual.Kind, actual.ItemType.RawType, actual.IsKey));
        }

        var withKey = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(scored).Transform(scored);
        var metrics = ml.MulticlassClassification.Evaluate(withKey);
        Assert.True(metrics.MicroAccuracy >= 0.9, $"micro accuracy {metrics.MicroAccuracy:P1}");
        Assert.Equal(Names.Order(StringComparer.Ordinal), scorer.ClassNames);

        using var zip = new MemoryStream();
        HeChunkModel.Save(ml, scorer, test.Schema, zip);
        zip.Position = 0;
        var reloaded = HeChunkModel.Load(new MLContext(), zip, out _).Transform(test);
        Assert.Equal(scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()),
            reloaded.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray()));
    }

    [Fact]
    public void KeyLabelsGiveTheClassNamesAndTheTrainerIsAnMLNetTrainerEstimator()
    {
        var ml = new MLContext(seed: 1);
        IDataView rows = Rows(ml, 3, seed: 3);
        // Key order given by key data (reverse of the ordinal order): the scorer's class order must follow the key values.
        string[] keyOrder = [.. Names.Order(StringComparer.Ordinal).Reverse()];
        IDataView keyData = ml.Data.LoadFromEnumerable(keyOrder.Select(n => new LabelOnly { Label = n }));
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyData: keyData).Fit(rows).Transform(rows);
        var options = new ChunkCnnTrainerOptions
        {
            Training = new TrainingOptions { Seed = 7, MaxEpochs = 1, Patience = 1, BatchSize = 16, Augmentation = AugmentationOptions.None },
        };
        ITrainerEstimator<ChunkCnnScoringTransformer, Cnn.ChunkCnnWeights> trainer = ml.MulticlassClassification.Trainers.ChunkCnn(options);
        Assert.False(trainer.Info.NeedNormalization);
        Assert.False(trainer.Info.WantCaching);

        SchemaShape promised = trainer.GetOutputSchema(ShapeOf(keyed.Schema));
        Assert.Contains(promised.Single(c => c.Name == "Score").Annotations, a => a.Name == "SlotNames");
        Assert.Contains(promised.Single(c => c.Name == "PredictedLabel").Annotations, a => a.Name == "KeyValues");

        ChunkCnnScoringTransformer scorer = trainer.Fit(keyed);
        Assert.Equal(keyOrder, scorer.ClassNames);
        ISingleFeaturePredictionTransformer<Cnn.ChunkCnnWeights> prediction = scorer;
        Assert.Equal("Chunks", prediction.FeatureColumnName);
        Assert.Same(scorer.Weights, prediction.Model);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        scorer.GetOutputSchema(keyed.Schema)["Score"].GetSlotNames(ref slotNames);
        Assert.Equal(keyOrder, slotNames.DenseValues().Select(n => n.ToString()));
    }

    [Fact]
    public void MissingOrWrongColumnsFailBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Rows(ml, 2, seed: 1);
        var missingLabel = ml.MulticlassClassification.Trainers.ChunkCnn(new ChunkCnnTrainerOptions { LabelColumnName = "Class" });
        Assert.Contains("Class", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => missingLabel.Fit(data)).Message);
        var wrongChunks = ml.MulticlassClassification.Trainers.ChunkCnn(new ChunkCnnTrainerOptions { ChunksColumnName = "Label" });
        Assert.Contains("Label", Assert.ThrowsAny<ArgumentOutOfRangeException>(() => wrongChunks.GetOutputSchema(ShapeOf(data.Schema))).Message);
    }

    // ML.NET keeps SchemaShape.Create(DataViewSchema) internal; EstimatorChain uses it the same way.
    private static SchemaShape ShapeOf(DataViewSchema schema) => (SchemaShape)typeof(SchemaShape).GetMethod(
        "Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, [typeof(DataViewSchema)])!
        .Invoke(null, [schema])!;

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
