namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>
/// k-nearest-neighbour vote on standardised features. Unlike a centroid it can follow classes
/// whose samples form several clusters (bright and dark scratches, say), so it shows how much
/// of the structure a flexible learner can use.
/// </summary>
internal sealed class NearestNeighboursClassifier : IBaselineClassifier
{
    private readonly double[][] _features;
    private readonly int[] _labels;
    private readonly int _classes;
    private readonly int _k;
    private readonly double[] _scale;

    public NearestNeighboursClassifier(IReadOnlyList<double[]> features, IReadOnlyList<int> labels, int classes, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _features = [.. features];
        _labels = [.. labels];
        _classes = classes;
        _k = Math.Min(k, _features.Length);
        _scale = FeatureScaling.InverseStandardDeviations(features);
    }

    public int Predict(double[] feature)
    {
        var distances = new double[_features.Length];
        var order = new int[_features.Length];
        for (int i = 0; i < _features.Length; i++)
        {
            distances[i] = FeatureScaling.SquaredDistance(feature, _features[i], _scale);
            order[i] = i;
        }

        Array.Sort(distances, order);
        var votes = new int[_classes];
        var nearest = new double[_classes];
        Array.Fill(nearest, double.PositiveInfinity);
        for (int n = 0; n < _k; n++)
        {
            int label = _labels[order[n]];
            votes[label]++;
            nearest[label] = Math.Min(nearest[label], distances[n]);
        }

        // Most votes wins; a tie goes to the class with the closer nearest neighbour.
        int best = 0;
        for (int c = 1; c < _classes; c++)
        {
            if (votes[c] > votes[best] || (votes[c] == votes[best] && nearest[c] < nearest[best]))
            {
                best = c;
            }
        }

        return best;
    }
}
