using MLNet.HeChunk.Imaging;

namespace MLNet.HeChunk.Transforms;

/// <summary>The two things every pixel mapping does to a row before its work: check the input, reuse the output buffer.</summary>
internal static class RowValues
{
    /// <summary>
    /// The row's vector has <paramref name="length"/> finite values, or <see cref="InvalidDataException"/> names
    /// <paramref name="column"/> (see <see cref="PixelGuard"/>).
    /// </summary>
    public static void Require(float[] values, int length, string column)
    {
        PixelGuard.RequireLength(values.Length, length, column);
        PixelGuard.RequireFinite(values, column);
    }

    /// <summary>
    /// <paramref name="buffer"/> when it already has <paramref name="length"/> elements, else a new array: a mapping's
    /// output row lives as long as the cursor and ML.NET copies its arrays out, so the buffer is reused across rows.
    /// </summary>
    public static T[] Reuse<T>(T[] buffer, int length) => buffer.Length == length ? buffer : new T[length];
}
