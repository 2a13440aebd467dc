using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>
/// Block means on an 8 x 8 grid (64 values in [0, 1]): a tiny thumbnail, the pixel-space baseline.
/// </summary>
internal static class DownsampledPixelFeatures
{
    public const int Grid = 8;

    public static double[] Extract(GrayImage image)
    {
        var sums = new double[Grid * Grid];
        var counts = new int[Grid * Grid];
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> row = image.GetRow(y);
            int gy = y * Grid / image.Height;
            for (int x = 0; x < image.Width; x++)
            {
                int cell = (gy * Grid) + (x * Grid / image.Width);
                sums[cell] += row[x];
                counts[cell]++;
            }
        }

        for (int i = 0; i < sums.Length; i++)
        {
            sums[i] /= counts[i] * 255.0;
        }

        return sums;
    }
}
