namespace MLNet.HeChunk.Datasets.Imaging;

/// <summary>
/// Thrown by <see cref="BmpReader"/> for data that is not an 8-bit palettized BMP it can read,
/// or that is corrupt. <see cref="Problem"/> says which check failed; the message says what was found.
/// </summary>
public sealed class BmpFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="problem"/> with a message describing what was found.</summary>
    public BmpFormatException(BmpProblem problem, string message)
        : base($"Invalid BMP ({problem}): {message}")
    {
        Problem = problem;
    }

    /// <summary>Which check the data failed.</summary>
    public BmpProblem Problem { get; }
}
