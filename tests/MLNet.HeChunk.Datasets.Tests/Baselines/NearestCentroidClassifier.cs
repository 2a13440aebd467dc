namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>
/// Assigns a sample to the class whose mean training feature vector is closest (Euclidean).
/// No hyperparameters, so the accuracy it reaches measures the features, not tuning effort.
/// </summary>
internal sealed class NearestCentroidClassifier : IBaselineClassifier
{
    private readonly double[][] _centroids;
    private readonly double[] _scale;

    private NearestCentroidClassifier(double[][] centroids, double[] scale)
    {
        _centroids = centroids;
        _scale = scale;
    }

    /// <summary>
    /// Computes class centroids. With <paramref name="standardise"/>, distances are measured after
    /// scaling each dimension to unit standard deviation over the training set.
    /// </summary>
    public static NearestCentroidClassifier Fit(IReadOnlyList<double[]> features, IReadOnlyList<int> labels, int classes, bool standardise)
    {
        int dimension = features[0].Length;
        var centroids = new double[classes][];
        var counts = new int[classes];
        for (int c = 0; c < classes; c++)
        {
            centroids[c] = new double[dimension];
        }

        for (int i = 0; i < features.Count; i++)
        {
            counts[labels[i]]++;
            for (int d = 0; d < dimension; d++)
            {
                centroids[labels[i]][d] += features[i][d];
            }
        }

        for (int c = 0; c < classes; c++)
        {
            if (counts[c] == 0)
            {
                throw new ArgumentException($"Class {c} has no training samples.", nameof(labels));
            }

            for (int d = 0; d < dimension; d++)
            {
                centroids[c][d] /= counts[c];
            }
        }

        double[] scale = standardise ? FeatureScaling.InverseStandardDeviations(features) : FeatureScaling.Unit(dimension);
        return new NearestCentroidClassifier(centroids, scale);
    }

    public int Predict(double[] feature)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int c = 0; c < _centroids.Length; c++)
        {
            double distance = FeatureScaling.SquaredDistance(feature, _centroids[c], _scale);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = c;
            }
        }

        return best;
    }
}
