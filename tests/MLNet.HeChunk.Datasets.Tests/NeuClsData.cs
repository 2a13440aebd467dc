namespace MLNet.HeChunk.Datasets.Tests;

/// <summary>
/// Finds the NEU-CLS images, which live beside the repository and are never copied into it:
/// the folder named by HECHUNK_NEU_CLS_DIR if set, else ../shared/data/neu-cls next to the
/// folder that holds HeChunkML.sln (found by walking up from the test assembly).
/// </summary>
internal static class NeuClsData
{
    public const string DirectoryVariable = "HECHUNK_NEU_CLS_DIR";

    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The data folder, or null if it cannot be found.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Whether missing data must fail the run (on CI) instead of skipping.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string MissingMessage =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } configured
            ? $"NEU-CLS not found: {DirectoryVariable} is '{configured}', which is not a folder."
            : $"NEU-CLS not found: set {DirectoryVariable}, or place it at ../shared/data/neu-cls beside the folder holding HeChunkML.sln.";

    /// <summary>The data folder; fails the test with a clear message if it is absent.</summary>
    public static string RequireDirectory() => Directory ?? throw new InvalidOperationException(MissingMessage);

    private static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            // An explicit setting that points nowhere is a mistake to report, not to paper over.
            return System.IO.Directory.Exists(configured) ? configured : null;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HeChunkML.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "neu-cls"));
                return System.IO.Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
