namespace MLNet.HeChunk.Training;

/// <summary>
/// Per-descriptor standardization <c>(d - Mean) * InverseStd</c>, fitted on the training descriptors; folded into the
/// descriptor head's first layer at export.
/// </summary>
public sealed record DescriptorNormalization(double[] Mean, double[] InverseStd)
{
    /// <summary>Mean and inverse standard deviation of each descriptor over the data set (a constant descriptor keeps scale 1).</summary>
    /// <exception cref="ArgumentException">The data set carries no descriptors.</exception>
    public static DescriptorNormalization FromData(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        IReadOnlyList<float[]> descriptors = data.Descriptors ?? throw new ArgumentException("The data set carries no descriptors.", nameof(data));
        int n = descriptors[0].Length;
        var mean = new double[n];
        var squares = new double[n];
        foreach (float[] d in descriptors)
        {
            for (int i = 0; i < n; i++)
            {
                mean[i] += d[i];
                squares[i] += (double)d[i] * d[i];
            }
        }

        var inverse = new double[n];
        for (int i = 0; i < n; i++)
        {
            mean[i] /= descriptors.Count;
            double std = Math.Sqrt(Math.Max(0, squares[i] / descriptors.Count - mean[i] * mean[i]));
            inverse[i] = std < 1e-9 ? 1 : 1 / std;
        }

        return new DescriptorNormalization(mean, inverse);
    }
}
