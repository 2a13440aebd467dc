namespace MLNet.HeChunk.Tests;

/// <summary>
/// Finds the NEU-CLS folder for the tests that need real images: the folder named by HECHUNK_NEU_CLS_DIR, else
/// ../shared/data/neu-cls next to the repository root (the folder holding HeChunkML.sln, found by walking up from
/// the test assembly). Where it is absent the test is skipped with a message, except under CI=true, where a
/// missing data set must fail the build rather than quietly shrink the test suite.
/// </summary>
internal static class NeuClsLocator
{
    public const string EnvironmentVariable = "HECHUNK_NEU_CLS_DIR";

    /// <summary>The folder, or null with the reason it was not found.</summary>
    public static string? TryFind(out string reason)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            reason = $"{EnvironmentVariable}='{fromEnvironment}' does not exist";
            return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HeChunkML.sln")))
            dir = dir.Parent;
        if (dir is null)
        {
            reason = $"no HeChunkML.sln above '{AppContext.BaseDirectory}' and {EnvironmentVariable} is not set";
            return null;
        }
        var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "neu-cls"));
        reason = $"'{candidate}' does not exist and {EnvironmentVariable} is not set";
        return Directory.Exists(candidate) ? candidate : null;
    }

    /// <summary>The folder; skips the calling [SkippableFact] when absent, fails when CI=true.</summary>
    public static string Require()
    {
        var folder = TryFind(out var reason);
        if (folder is not null)
            return folder;
        string message = $"NEU-CLS data set not found: {reason}.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(message + " CI=true requires it.");
        Skip.If(true, message);
        return "";
    }
}
