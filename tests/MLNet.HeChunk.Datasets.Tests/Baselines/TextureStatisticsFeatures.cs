using MLNet.HeChunk.Datasets.Imaging;
using MLNet.HeChunk.Datasets.Synthetic;

namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>
/// A small hand-made filter bank standing in for the first layers of a CNN: after removing
/// exposure (z-scoring the image), it measures blob responses at two scales, edge strength,
/// how line-like the edges are, and how much large-scale blotchiness there is, each summarised by
/// quantiles that pick out sparse strong marks. If a nearest-centroid rule on these separates the
/// classes well, the classes are learnable from local structure, independent of exposure.
/// It works on the image halved in each direction (2 x 2 block means), which is about the
/// 112 x 112 input the project's CNNs see, and four times cheaper.
/// </summary>
internal static class TextureStatisticsFeatures
{
    private static readonly double[] Quantiles = [0.01, 0.05, 0.5, 0.95, 0.99];

    public static double[] Extract(GrayImage image)
    {
        (float[] z, int width, int height) = Halve(Standardise(image), image.Width, image.Height);

        var features = new List<double>();

        // Blobs (difference of Gaussians) at two scales: pits and specks are dark blobs, scale flakes
        // come with a bright rim, scratches are bright ridges.
        foreach ((double inner, double outer) in new[] { (0.7, 1.5), (1.5, 3.5) })
        {
            float[] fine = Blur(z, width, height, inner);
            float[] coarse = Blur(z, width, height, outer);
            var dog = new float[z.Length];
            for (int i = 0; i < dog.Length; i++)
            {
                dog[i] = fine[i] - coarse[i];
            }

            AddQuantiles(features, dog);
        }

        // Edges and their coherence (structure tensor): lines and cracks are coherent, pits are not.
        float[] smooth = Blur(z, width, height, 0.7);
        var magnitude = new float[z.Length];
        var jxx = new float[z.Length];
        var jyy = new float[z.Length];
        var jxy = new float[z.Length];
        for (int y = 1; y < height - 1; y++)
        {
            for (int x = 1; x < width - 1; x++)
            {
                int i = (y * width) + x;
                float gx = smooth[i + 1] - smooth[i - 1];
                float gy = smooth[i + width] - smooth[i - width];
                magnitude[i] = MathF.Sqrt((gx * gx) + (gy * gy));
                jxx[i] = gx * gx;
                jyy[i] = gy * gy;
                jxy[i] = gx * gy;
            }
        }

        AddQuantiles(features, magnitude);
        float[] sxx = Blur(jxx, width, height, 2);
        float[] syy = Blur(jyy, width, height, 2);
        float[] sxy = Blur(jxy, width, height, 2);
        var coherence = new float[z.Length];
        for (int i = 0; i < coherence.Length; i++)
        {
            float trace = sxx[i] + syy[i];
            float diff = sxx[i] - syy[i];
            coherence[i] = trace > 1e-6f ? MathF.Sqrt((diff * diff) + (4 * sxy[i] * sxy[i])) / trace : 0;
        }

        AddQuantiles(features, coherence);

        // Large-scale blotchiness: the spread of a heavily smoothed image.
        AddQuantiles(features, Blur(z, width, height, 4));
        return [.. features];
    }

    private static float[] Standardise(GrayImage image)
    {
        ReadOnlySpan<byte> pixels = image.Pixels;
        double sum = 0;
        double sumSquares = 0;
        foreach (byte p in pixels)
        {
            sum += p;
            sumSquares += p * (double)p;
        }

        double mean = sum / pixels.Length;
        double std = Math.Sqrt(Math.Max((sumSquares / pixels.Length) - (mean * mean), 1e-6));
        var z = new float[pixels.Length];
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = (float)((pixels[i] - mean) / std);
        }

        return z;
    }

    private static (float[] Values, int Width, int Height) Halve(float[] values, int width, int height)
    {
        int w = width / 2;
        int h = height / 2;
        var halved = new float[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (2 * y * width) + (2 * x);
                halved[(y * w) + x] = 0.25f * (values[i] + values[i + 1] + values[i + width] + values[i + width + 1]);
            }
        }

        return (halved, w, h);
    }

    private static float[] Blur(float[] source, int width, int height, double sigma)
    {
        var copy = (float[])source.Clone();
        GaussianBlur.Apply(copy, width, height, sigma);
        return copy;
    }

    private static void AddQuantiles(List<double> features, float[] values)
    {
        var sorted = (float[])values.Clone();
        Array.Sort(sorted);
        foreach (double q in Quantiles)
        {
            features.Add(sorted[(int)(q * (sorted.Length - 1))]);
        }
    }
}
