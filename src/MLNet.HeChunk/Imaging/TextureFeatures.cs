namespace MLNet.HeChunk.Imaging;

/// <summary>
/// Classic hand-made texture descriptors of one image, the input of the plaintext gradient-boosted baseline that every
/// experiment report sets beside the encrypted CNN: first-order statistics, Sobel gradient statistics and orientation
/// histogram, grey-level co-occurrence (GLCM) statistics at three distances, and rotation-invariant uniform local binary
/// pattern (LBP) histograms at two radii. Computed on the grey image; for a colour image, each channel's mean and
/// standard deviation are added.
/// </summary>
/// <remarks>
/// <para>Units are chosen so that every descriptor varies by at least about one unit between images (fractions as
/// percentages, GLCM energy as minus its natural logarithm): the descriptors travel CKKS-encrypted, whose noise is
/// absolute (about 1e-5 at the chunk CNN's scale), so a descriptor that only moved in its third decimal would drown in
/// it. The scaling is fixed and public; the model's standardization is folded into its first layer.</para>
/// These are the descriptors steel-surface inspection used before CNNs (GLCM: Haralick 1973; LBP riu2: Ojala, Pietikainen
/// and Maenpaa 2002). They are deliberately not tuned to any data set: a fixed list, fixed quantisation (16 grey levels
/// for the GLCM), fixed radii.
/// </remarks>
public static class TextureFeatures
{
    private const int GlcmLevels = 16;
    private static readonly int[] GlcmDistances = [1, 2, 4];
    private static readonly (int Dy, int Dx)[] GlcmDirections = [(0, 1), (1, 1), (1, 0), (1, -1)];
    private static readonly int[] LbpRadii = [1, 2];
    private const int LbpNeighbours = 8;
    private const int OrientationBins = 8;

    /// <summary>Number of features for an image with <paramref name="channels"/> channels (1 or 3).</summary>
    public static int Count(int channels) =>
        9 // first order
        + 6 + OrientationBins // gradient
        + GlcmDistances.Length * 5 + GlcmDistances.Length * GlcmDirections.Length // GLCM averages + contrast per direction
        + LbpRadii.Length * (LbpNeighbours + 2) // LBP riu2 histograms
        + (channels > 1 ? 2 * channels : 0);

    /// <summary>
    /// Computes the descriptors of a planar image (<paramref name="channels"/> planes of <paramref name="height"/> x
    /// <paramref name="width"/> values on a 0-255 scale, row-major).
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not match the pixel count, or the image is smaller than 9 x 9.</exception>
    public static float[] Compute(ReadOnlySpan<float> pixels, int channels, int height, int width)
    {
        if (channels is not (1 or 3))
            throw new ArgumentException($"Texture features take 1 or 3 channels; found {channels}.", nameof(channels));
        if (height < 9 || width < 9)
            throw new ArgumentException($"Texture features need an image of at least 9 x 9 pixels; found {height} x {width}.");
        if (pixels.Length != channels * height * width)
            throw new ArgumentException($"The image holds {pixels.Length} values; {channels} x {height} x {width} = {channels * height * width} expected.", nameof(pixels));

        int n = height * width;
        var grey = new float[n];
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = pixels.Slice(c * n, n);
            for (int i = 0; i < n; i++)
                grey[i] += plane[i] / channels;
        }

        var features = new List<float>(Count(channels));
        FirstOrder(grey, features);
        Gradient(grey, height, width, features);
        Cooccurrence(grey, height, width, features);
        foreach (int radius in LbpRadii)
            LocalBinaryPatterns(grey, height, width, radius, features);
        if (channels > 1)
        {
            for (int c = 0; c < channels; c++)
            {
                var (mean, std) = MeanStd(pixels.Slice(c * n, n));
                features.Add((float)mean);
                features.Add((float)std);
            }
        }

        return [.. features];
    }

    private static (double Mean, double Std) MeanStd(ReadOnlySpan<float> values)
    {
        double sum = 0, squares = 0;
        foreach (float v in values)
        {
            sum += v;
            squares += (double)v * v;
        }

        double mean = sum / values.Length;
        return (mean, Math.Sqrt(Math.Max(0, squares / values.Length - mean * mean)));
    }

    private static void FirstOrder(float[] grey, List<float> features)
    {
        var (mean, std) = MeanStd(grey);
        double m3 = 0, m4 = 0;
        foreach (float v in grey)
        {
            double d = v - mean;
            m3 += d * d * d;
            m4 += d * d * d * d;
        }

        double s2 = Math.Max(std * std, 1e-12);
        features.Add((float)mean);
        features.Add((float)std);
        features.Add((float)(m3 / grey.Length / Math.Pow(s2, 1.5)));
        features.Add((float)(m4 / grey.Length / (s2 * s2)));
        float[] sorted = [.. grey];
        Array.Sort(sorted);
        foreach (double q in (double[])[0.05, 0.25, 0.5, 0.75, 0.95])
            features.Add(sorted[(int)(q * (sorted.Length - 1))]);
    }

    private static void Gradient(float[] grey, int height, int width, List<float> features)
    {
        var magnitude = new float[grey.Length];
        SobelOperator.Magnitude(grey, height, width, magnitude);
        var (mean, std) = MeanStd(magnitude);
        float[] sorted = [.. magnitude];
        Array.Sort(sorted);
        features.Add((float)mean);
        features.Add((float)std);
        features.Add(sorted[(int)(0.5 * (sorted.Length - 1))]);
        features.Add(sorted[(int)(0.9 * (sorted.Length - 1))]);

        // Orientation histogram (unsigned, 0..180 degrees), weighted by magnitude, in percent; plus the
        // ratio of horizontal to vertical gradient energy, which separates scratches and rolled-in scale from blobs.
        var histogram = new double[OrientationBins];
        double energyX = 0, energyY = 0;
        for (int r = 1; r < height - 1; r++)
        {
            for (int c = 1; c < width - 1; c++)
            {
                int i = r * width + c;
                double gx = grey[i + 1] - grey[i - 1];
                double gy = grey[i + width] - grey[i - width];
                energyX += gx * gx;
                energyY += gy * gy;
                double angle = Math.Atan2(gy, gx);
                if (angle < 0)
                    angle += Math.PI;
                int bin = Math.Min(OrientationBins - 1, (int)(angle / Math.PI * OrientationBins));
                histogram[bin] += Math.Sqrt(gx * gx + gy * gy);
            }
        }

        double total = histogram.Sum();
        features.Add((float)Math.Log((energyX + 1) / (energyY + 1)));
        features.Add((float)((energyX + energyY) / grey.Length));
        foreach (double h in histogram)
            features.Add((float)(total > 0 ? 100 * h / total : 0));
    }

    private static void Cooccurrence(float[] grey, int height, int width, List<float> features)
    {
        var levels = new byte[grey.Length];
        for (int i = 0; i < grey.Length; i++)
            levels[i] = (byte)Math.Clamp((int)(grey[i] / 256f * GlcmLevels), 0, GlcmLevels - 1);

        var matrix = new double[GlcmLevels * GlcmLevels];
        foreach (int distance in GlcmDistances)
        {
            double contrastSum = 0, homogeneitySum = 0, energySum = 0, correlationSum = 0, entropySum = 0;
            foreach (var (dy, dx) in GlcmDirections)
            {
                Array.Clear(matrix);
                long pairs = 0;
                for (int r = 0; r + dy * distance < height; r++)
                {
                    for (int c = Math.Max(0, -dx * distance); c < width && c + dx * distance < width; c++)
                    {
                        int a = levels[r * width + c], b = levels[(r + dy * distance) * width + c + dx * distance];
                        // Symmetric GLCM: each pair counted both ways.
                        matrix[a * GlcmLevels + b]++;
                        matrix[b * GlcmLevels + a]++;
                        pairs += 2;
                    }
                }

                double mu = 0;
                for (int a = 0; a < GlcmLevels; a++)
                    for (int b = 0; b < GlcmLevels; b++)
                        mu += a * matrix[a * GlcmLevels + b] / pairs;
                double variance = 0, contrast = 0, homogeneity = 0, energy = 0, covariance = 0, entropy = 0;
                for (int a = 0; a < GlcmLevels; a++)
                {
                    for (int b = 0; b < GlcmLevels; b++)
                    {
                        double p = matrix[a * GlcmLevels + b] / pairs;
                        if (p == 0)
                            continue;
                        variance += (a - mu) * (a - mu) * p;
                        contrast += (a - b) * (a - b) * p;
                        homogeneity += p / (1 + Math.Abs(a - b));
                        energy += p * p;
                        covariance += (a - mu) * (b - mu) * p;
                        entropy -= p * Math.Log(p);
                    }
                }

                features.Add((float)contrast);
                contrastSum += contrast;
                homogeneitySum += homogeneity;
                energySum += energy;
                correlationSum += variance > 1e-12 ? covariance / variance : 0;
                entropySum += entropy;
            }

            int d = GlcmDirections.Length;
            features.Add((float)(contrastSum / d));
            features.Add((float)(100 * homogeneitySum / d));
            features.Add((float)-Math.Log(energySum / d));
            features.Add((float)(100 * correlationSum / d));
            features.Add((float)(10 * entropySum / d));
        }
    }

    /// <summary>
    /// Rotation-invariant uniform LBP (riu2) with 8 neighbours on a circle of the given radius (bilinear sampling): a
    /// histogram of P + 2 bins (the number of neighbours at least as bright as the centre for uniform patterns, one bin
    /// for every non-uniform pattern), in percent.
    /// </summary>
    private static void LocalBinaryPatterns(float[] grey, int height, int width, int radius, List<float> features)
    {
        var histogram = new double[LbpNeighbours + 2];
        Span<bool> bits = stackalloc bool[LbpNeighbours];
        long count = 0;
        for (int r = radius + 1; r < height - radius - 1; r++)
        {
            for (int c = radius + 1; c < width - radius - 1; c++)
            {
                float centre = grey[r * width + c];
                int ones = 0;
                for (int p = 0; p < LbpNeighbours; p++)
                {
                    double angle = 2 * Math.PI * p / LbpNeighbours;
                    double y = r - radius * Math.Sin(angle), x = c + radius * Math.Cos(angle);
                    bits[p] = Bilinear(grey, width, y, x) >= centre;
                    if (bits[p])
                        ones++;
                }

                int transitions = 0;
                for (int p = 0; p < LbpNeighbours; p++)
                {
                    if (bits[p] != bits[(p + 1) % LbpNeighbours])
                        transitions++;
                }

                histogram[transitions <= 2 ? ones : LbpNeighbours + 1]++;
                count++;
            }
        }

        foreach (double h in histogram)
            features.Add((float)(100 * h / count));
    }

    private static double Bilinear(float[] grey, int width, double y, double x)
    {
        int y0 = (int)Math.Floor(y), x0 = (int)Math.Floor(x);
        double fy = y - y0, fx = x - x0;
        double top = grey[y0 * width + x0] * (1 - fx) + grey[y0 * width + x0 + 1] * fx;
        double bottom = grey[(y0 + 1) * width + x0] * (1 - fx) + grey[(y0 + 1) * width + x0 + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
