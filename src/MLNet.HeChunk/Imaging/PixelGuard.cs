namespace MLNet.HeChunk.Imaging;

/// <summary>
/// Rejects pixel vectors that carry non-finite values. A NaN or an infinity cannot be seen in a schema, so
/// every transform of the suite checks the values of each row before using them: a NaN that slipped into a
/// histogram bin or a Sobel sum would silently turn a whole chunk's score (and its gate decision) into noise.
/// </summary>
internal static class PixelGuard
{
    /// <summary>Throws <see cref="InvalidDataException"/> naming the column and the first bad position.</summary>
    public static void RequireFinite(ReadOnlySpan<float> pixels, string columnName)
    {
        for (int i = 0; i < pixels.Length; i++)
        {
            if (!float.IsFinite(pixels[i]))
            {
                throw new InvalidDataException(
                    $"Column '{columnName}': pixel {i} is {pixels[i]}; expected a finite value on the 0-255 scale. " +
                    "NaN or infinite pixels cannot be equalized, chunked or gated.");
            }
        }
    }

    /// <summary>Throws <see cref="InvalidDataException"/> when a row's vector has not the length the schema promised.</summary>
    public static void RequireLength(int actual, int expected, string columnName)
    {
        if (actual != expected)
        {
            throw new InvalidDataException(
                $"Column '{columnName}': a row holds {actual} values; expected {expected}.");
        }
    }
}
