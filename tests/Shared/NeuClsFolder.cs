namespace MLNet.HeChunk.TestData;

/// <summary>
/// Where every test project finds NEU-CLS (one file, linked into each project that needs real images): the folder named
/// by <see cref="EnvironmentVariable"/>, else <c>../shared/data/neu-cls</c> beside the folder holding HeChunkML.sln (found
/// by walking up from the test assembly). The images live beside the repository and are never copied into it.
/// </summary>
internal static class NeuClsFolder
{
    /// <summary>The one environment variable naming the NEU-CLS folder (README, .ci).</summary>
    public const string EnvironmentVariable = "HECHUNK_NEU_CLS_DIR";

    /// <summary>Whether a missing data set must fail the run (CI=true) rather than quietly shrink the suite.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The folder, or null with the reason it was not found.</summary>
    public static string? TryFind(out string reason)
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            // An explicit setting that points nowhere is a mistake to report, not to paper over.
            reason = $"{EnvironmentVariable}='{configured}' is not a folder";
            return Directory.Exists(configured) ? configured : null;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HeChunkML.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "neu-cls"));
                reason = $"'{candidate}' does not exist and {EnvironmentVariable} is not set";
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        reason = $"no HeChunkML.sln above '{AppContext.BaseDirectory}' and {EnvironmentVariable} is not set";
        return null;
    }
}
