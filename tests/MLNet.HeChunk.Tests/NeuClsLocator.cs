using MLNet.HeChunk.TestData;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// The NEU-CLS folder for the tests that need real images (<see cref="NeuClsFolder"/>). Where it is absent the test is
/// skipped with a message, except under CI=true, where a missing data set must fail the build.
/// </summary>
internal static class NeuClsLocator
{
    /// <summary>The folder; skips the calling [SkippableFact] when absent, fails when CI=true.</summary>
    public static string Require()
    {
        var folder = NeuClsFolder.TryFind(out var reason);
        if (folder is not null)
            return folder;
        string message = $"NEU-CLS data set not found: {reason}.";
        if (NeuClsFolder.Required)
            throw new InvalidOperationException(message + " CI=true requires it.");
        Skip.If(true, message);
        return "";
    }
}
