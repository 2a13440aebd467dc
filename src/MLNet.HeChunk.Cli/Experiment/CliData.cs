using MLNet.HeChunk.Data;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>The library's split (<see cref="TrainTestSplit"/>) with the command line's error messages.</summary>
internal static class CliData
{
    /// <summary>Scans and splits <paramref name="folder"/>.</summary>
    /// <exception cref="CliException">Missing or empty folder, one class, a class too small to split, an unreadable file.</exception>
    public static TrainTestSplit Split(string folder)
    {
        try
        {
            return TrainTestSplit.Load(folder);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(e.Message.StartsWith("data folder", StringComparison.Ordinal) ? e.Message : $"data folder: {e.Message}");
        }
    }
}
