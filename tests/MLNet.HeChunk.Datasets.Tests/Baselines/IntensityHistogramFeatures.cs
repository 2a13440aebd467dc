using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>
/// The simplest global statistic: the share of pixels in each of 16 equal gray-level bins.
/// A data set whose classes this separates is too easy to say anything about a CNN.
/// </summary>
internal static class IntensityHistogramFeatures
{
    public const int Bins = 16;

    public static double[] Extract(GrayImage image)
    {
        var histogram = new double[Bins];
        foreach (byte pixel in image.Pixels)
        {
            histogram[pixel * Bins / 256]++;
        }

        for (int i = 0; i < Bins; i++)
        {
            histogram[i] /= image.Pixels.Length;
        }

        return histogram;
    }
}
