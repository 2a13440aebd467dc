namespace MLNet.HeChunk.Imaging;

/// <summary>
/// Histogram equalization of an 8-bit grayscale image held as floats on the 0-255 scale (the paper's Eq. 1:
/// the cumulative histogram H(v) = sum_{i=0..v} h(i) over 256 bins is used as the intensity mapping).
/// </summary>
/// <remarks>
/// <para>Each input value is first rounded to the nearest integer (midpoints away from zero) and clamped to
/// [0, 255]: that integer is its bin. ExtractPixels already yields integers, so the rounding only matters for
/// values produced by other arithmetic.</para>
/// <para>The mapping is the usual normalised form of H: with N pixels and H_min = H(first non-empty bin),
/// out(v) = round(255 * (H(v) - H_min) / (N - H_min)), midpoints away from zero. The darkest level present maps
/// to 0 and the brightest to 255. An image with a single level (N = H_min) has no contrast to stretch and is
/// returned unchanged (its rounded, clamped values), rather than dividing by zero.</para>
/// </remarks>
public static class HistogramEqualizer
{
    /// <summary>Number of intensity bins (8-bit images).</summary>
    public const int Levels = 256;

    /// <summary>Rounds and clamps a value to its bin, as documented on the class.</summary>
    public static int ToLevel(float value)
    {
        double rounded = Math.Round(value, MidpointRounding.AwayFromZero);
        return (int)Math.Clamp(rounded, 0, Levels - 1);
    }

    /// <summary>Computes the 256-entry lookup table that equalizes <paramref name="pixels"/>.</summary>
    /// <exception cref="ArgumentException">The image is empty.</exception>
    public static float[] ComputeLookupTable(ReadOnlySpan<float> pixels)
    {
        var table = new float[Levels];
        FillLookupTable(pixels, table);
        return table;
    }

    /// <summary>Equalizes <paramref name="source"/> into <paramref name="destination"/> (same length; may alias).</summary>
    /// <exception cref="ArgumentException">Lengths differ, or the image is empty.</exception>
    public static void Equalize(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length != source.Length)
            throw new ArgumentException($"Destination holds {destination.Length} values; expected {source.Length}.", nameof(destination));
        Span<float> table = stackalloc float[Levels];
        FillLookupTable(source, table);
        for (int i = 0; i < source.Length; i++)
            destination[i] = table[ToLevel(source[i])];
    }

    private static void FillLookupTable(ReadOnlySpan<float> pixels, Span<float> table)
    {
        if (pixels.IsEmpty)
            throw new ArgumentException("Cannot equalize an empty image.", nameof(pixels));

        Span<int> histogram = stackalloc int[Levels];
        histogram.Clear();
        foreach (float p in pixels)
            histogram[ToLevel(p)]++;

        int first = 0;
        while (histogram[first] == 0)
            first++;
        long total = pixels.Length;
        long cdfMin = histogram[first];

        if (total == cdfMin)
        {
            // One grey level only: identity on the rounded levels.
            for (int v = 0; v < Levels; v++)
                table[v] = v;
            return;
        }

        double scale = (Levels - 1) / (double)(total - cdfMin);
        long cdf = 0;
        for (int v = 0; v < Levels; v++)
        {
            cdf += histogram[v];
            // Levels below the first present one never occur; 0 keeps the table monotone.
            table[v] = v < first ? 0f : (float)Math.Round((cdf - cdfMin) * scale, MidpointRounding.AwayFromZero);
        }
    }
}
