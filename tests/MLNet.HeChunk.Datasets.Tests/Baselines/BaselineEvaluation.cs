using MLNet.HeChunk.Data;
using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>
/// Trains a classifier on the NEU-CLS training split (n % 4 != 1) and returns its accuracy on
/// the test split (n % 4 == 1), with the confusion matrix.
/// </summary>
internal static class BaselineEvaluation
{
    /// <summary>Trains a classifier from training features and label indices.</summary>
    public delegate IBaselineClassifier Trainer(IReadOnlyList<double[]> features, IReadOnlyList<int> labels);

    public static Trainer NearestCentroid(bool standardise) =>
        (features, labels) => NearestCentroidClassifier.Fit(features, labels, SteelDefectClasses.Count, standardise);

    public static Trainer NearestNeighbours(int k) =>
        (features, labels) => new NearestNeighboursClassifier(features, labels, SteelDefectClasses.Count, k);

    /// <summary>Extracts features of every image once; use them with <see cref="Evaluate(IReadOnlyList{LabeledImage}, double[][], Trainer)"/>.</summary>
    public static double[][] ExtractAll(IReadOnlyList<LabeledImage> images, Func<GrayImage, double[]> extract)
    {
        var features = new double[images.Count][];
        Parallel.For(0, images.Count, i => features[i] = extract(images[i].Image));
        return features;
    }

    public static BaselineResult Evaluate(IReadOnlyList<LabeledImage> images, double[][] features, Trainer train)
    {
        var trainFeatures = new List<double[]>();
        var trainLabels = new List<int>();
        for (int i = 0; i < images.Count; i++)
        {
            if (!NeuClsSplit.IsTestNumber(images[i].Number))
            {
                trainFeatures.Add(features[i]);
                trainLabels.Add((int)images[i].Label);
            }
        }

        IBaselineClassifier classifier = train(trainFeatures, trainLabels);
        var confusion = new int[SteelDefectClasses.Count, SteelDefectClasses.Count];
        int correct = 0;
        int tested = 0;
        for (int i = 0; i < images.Count; i++)
        {
            if (NeuClsSplit.IsTestNumber(images[i].Number))
            {
                int truth = (int)images[i].Label;
                int predicted = classifier.Predict(features[i]);
                confusion[truth, predicted]++;
                correct += truth == predicted ? 1 : 0;
                tested++;
            }
        }

        return new BaselineResult(correct / (double)tested, tested, confusion);
    }
}
