namespace MLNet.HeChunk.Cli;

/// <summary>A problem with the user's input (a missing folder, a damaged file) that the tool reports as one line.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the exception with the one-line message shown after <c>error:</c>.</summary>
    public CliException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
