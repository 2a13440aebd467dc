namespace MLNet.HeChunk.Training.Tests.NeuCls;

/// <summary>
/// The paper's preprocessing for NEU-CLS: resize (area averaging) and 256-bin histogram equalization.
/// </summary>
internal static class ImagePreprocessing
{
    /// <summary>
    /// Area-average resampling: each output pixel is the mean of the input area it covers, with
    /// fractional weights on the borders (200 → 112 is not an integer ratio).
    /// </summary>
    public static double[] ResizeArea(byte[] source, int width, int height, int newWidth, int newHeight)
    {
        double[] rows = new double[newHeight * width];
        double[,] wy = Weights(height, newHeight);
        for (int oy = 0; oy < newHeight; oy++)
        {
            for (int y = 0; y < height; y++)
            {
                double w = wy[oy, y];
                if (w == 0)
                    continue;
                for (int x = 0; x < width; x++)
                    rows[oy * width + x] += w * source[y * width + x];
            }
        }
        double[] result = new double[newHeight * newWidth];
        double[,] wx = Weights(width, newWidth);
        for (int oy = 0; oy < newHeight; oy++)
        {
            for (int ox = 0; ox < newWidth; ox++)
            {
                double acc = 0;
                for (int x = 0; x < width; x++)
                    acc += wx[ox, x] * rows[oy * width + x];
                result[oy * newWidth + ox] = acc;
            }
        }
        return result;
    }

    /// <summary>
    /// Histogram equalization over 256 bins (values rounded to 0..255 first), mapping a level v to
    /// round(255 * (cdf(v) - cdf_min) / (N - cdf_min)), the usual formula (as in OpenCV's equalizeHist).
    /// </summary>
    public static float[] EqualizeHistogram(double[] image)
    {
        var levels = new int[image.Length];
        var histogram = new int[256];
        for (int i = 0; i < image.Length; i++)
        {
            levels[i] = (int)Math.Clamp(Math.Round(image[i]), 0, 255);
            histogram[levels[i]]++;
        }
        var map = new float[256];
        int cdf = 0, cdfMin = histogram.First(h => h > 0);
        int n = image.Length;
        for (int v = 0; v < 256; v++)
        {
            cdf += histogram[v];
            map[v] = n == cdfMin ? v : (float)Math.Round(255.0 * (cdf - cdfMin) / (n - cdfMin));
        }
        var result = new float[image.Length];
        for (int i = 0; i < image.Length; i++)
            result[i] = map[levels[i]];
        return result;
    }

    // weights[o, i]: share of input pixel i in output pixel o (rows sum to 1).
    private static double[,] Weights(int inSize, int outSize)
    {
        var weights = new double[outSize, inSize];
        double scale = (double)inSize / outSize;
        for (int o = 0; o < outSize; o++)
        {
            double start = o * scale, end = (o + 1) * scale;
            for (int i = (int)Math.Floor(start); i < Math.Min(inSize, (int)Math.Ceiling(end)); i++)
            {
                double overlap = Math.Min(end, i + 1) - Math.Max(start, i);
                if (overlap > 0)
                    weights[o, i] = overlap / scale;
            }
        }
        return weights;
    }
}
