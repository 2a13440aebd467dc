namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>
/// Per-dimension scale factors that give every feature unit standard deviation over the training
/// set, so that Euclidean distance weighs features measured in different units alike.
/// </summary>
internal static class FeatureScaling
{
    public static double[] Unit(int dimension) => Enumerable.Repeat(1.0, dimension).ToArray();

    public static double[] InverseStandardDeviations(IReadOnlyList<double[]> features)
    {
        int dimension = features[0].Length;
        var inverse = new double[dimension];
        for (int d = 0; d < dimension; d++)
        {
            double mean = features.Average(f => f[d]);
            double variance = features.Average(f => (f[d] - mean) * (f[d] - mean));

            // A constant feature carries no information; weight 0 keeps it out of the distance.
            inverse[d] = variance > 1e-24 ? 1 / Math.Sqrt(variance) : 0;
        }

        return inverse;
    }

    public static double SquaredDistance(double[] a, double[] b, double[] scale)
    {
        double sum = 0;
        for (int d = 0; d < a.Length; d++)
        {
            double diff = (a[d] - b[d]) * scale[d];
            sum += diff * diff;
        }

        return sum;
    }
}
