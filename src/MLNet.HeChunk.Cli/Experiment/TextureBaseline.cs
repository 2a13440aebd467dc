using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>
/// The plaintext baseline every report sets beside the encrypted model: gradient-boosted trees (ML.NET FastTree, one
/// versus all) on the classic texture descriptors of <see cref="Imaging.TextureFeatures"/>, computed by the same client
/// pipeline. Fixed settings (200 trees of 16 leaves, learning rate 0.1, at least 5 examples per leaf), chosen once, not
/// tuned on any test split.
/// </summary>
internal static class TextureBaseline
{
    /// <summary>A short description for the report.</summary>
    public const string Description = "ML.NET OneVersusAll(FastTree: 200 trees, 16 leaves, learning rate 0.1, >= 5 examples per leaf) on the " +
        "76 texture descriptors (grey-level statistics, Sobel gradient statistics and orientation histogram, GLCM at distances 1/2/4, LBP riu2 at radii 1/2, colour means and spreads)";

    /// <summary>
    /// Trains on the training images' descriptors and scores the test images: Label (a key, key i = class i) and Score
    /// (class probabilities), ready for <c>MulticlassClassification.Evaluate</c>.
    /// </summary>
    public static IDataView TrainAndScore(MLContext ml, IReadOnlyList<PreparedImage> train, IReadOnlyList<PreparedImage> test, int classCount)
    {
        int length = train[0].Descriptors.Length;
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        IDataView View(IReadOnlyList<PreparedImage> images) =>
            ml.Data.LoadFromEnumerable(images.Select(i => new Row { Label = i.ClassIndex, Features = i.Descriptors }).ToList(), schema);
        IDataView keyData = ml.Data.LoadFromEnumerable(Enumerable.Range(0, classCount).Select(c => new LabelRow { Label = c }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(Row.Label), keyData: keyData)
            .Append(ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 16, numberOfTrees: 200, minimumExampleCountPerLeaf: 5, learningRate: 0.1)));
        ITransformer model = pipeline.Fit(View(train));
        return model.Transform(View(test));
    }

    private sealed class Row
    {
        public int Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class LabelRow
    {
        public int Label { get; set; }
    }
}
