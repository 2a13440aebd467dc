namespace MLNet.HeChunk.Imaging;

/// <summary>
/// Sobel gradient magnitude G = sqrt(Gx^2 + Gy^2) of a grayscale image (the paper's Eqs. 5-7), with the 3x3
/// kernels Kx = [-1 0 +1; -2 0 +2; -1 0 +1] and Ky = [-1 -2 -1; 0 0 0; +1 +2 +1].
/// </summary>
/// <remarks>
/// <para>The kernels are applied as a correlation (Gx at (r, c) = sum Kx[i, j] * I(r - 1 + i, c - 1 + j)).
/// A true convolution flips both kernels, which flips the signs of Gx and Gy and leaves G unchanged.</para>
/// <para>Borders: the image is extended by replicating its edge pixels (coordinates are clamped into the
/// image). A flat image therefore has zero gradient everywhere, including its border; zero padding would
/// instead invent a strong edge along every border and mark every border chunk as a feature chunk.</para>
/// <para>Values are on the input's scale: for pixels on 0-255, G lies in [0, 1020 * sqrt(2)] (about 1442.5).</para>
/// </remarks>
public static class SobelOperator
{
    /// <summary>The largest magnitude a 0-255 image can produce: |Gx| and |Gy| are at most 4 * 255 each.</summary>
    public static readonly double MaxMagnitude255 = 4 * 255 * Math.Sqrt(2);

    /// <summary>Computes the gradient magnitude of a row-major <paramref name="height"/> x <paramref name="width"/> image.</summary>
    /// <exception cref="ArgumentException">Sizes do not match the spans, or are not positive.</exception>
    public static void Magnitude(ReadOnlySpan<float> image, int height, int width, Span<float> magnitude)
    {
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"Image size must be positive; found {height} x {width}.");
        if (image.Length != height * width)
            throw new ArgumentException($"Image holds {image.Length} values; expected {height} x {width} = {height * width}.", nameof(image));
        if (magnitude.Length != image.Length)
            throw new ArgumentException($"Destination holds {magnitude.Length} values; expected {image.Length}.", nameof(magnitude));

        for (int r = 0; r < height; r++)
        {
            // Clamped neighbour rows implement the replicate border.
            int up = Math.Max(r - 1, 0) * width;
            int mid = r * width;
            int down = Math.Min(r + 1, height - 1) * width;
            for (int c = 0; c < width; c++)
            {
                int left = Math.Max(c - 1, 0);
                int right = Math.Min(c + 1, width - 1);

                double gx = (image[up + right] + 2.0 * image[mid + right] + image[down + right])
                          - (image[up + left] + 2.0 * image[mid + left] + image[down + left]);
                double gy = (image[down + left] + 2.0 * image[down + c] + image[down + right])
                          - (image[up + left] + 2.0 * image[up + c] + image[up + right]);
                magnitude[mid + c] = (float)Math.Sqrt(gx * gx + gy * gy);
            }
        }
    }
}
