using MLNet.HeChunk.TestData;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>
/// Finds NEU-CLS as every test project does (<see cref="NeuClsFolder"/>). Absent: the test is skipped with a message,
/// except under CI=true, where it fails.
/// </summary>
internal static class NeuClsLocator
{
    public static string Require()
    {
        string? folder = NeuClsFolder.TryFind(out string reason);
        if (folder is not null)
        {
            return folder;
        }

        Environments.SkipOrFailUnderCi($"NEU-CLS data set not found: {reason}.");
        return "";
    }
}
