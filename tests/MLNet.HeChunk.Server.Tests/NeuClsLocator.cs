namespace MLNet.HeChunk.Server.Tests;

/// <summary>
/// Finds NEU-CLS as the library's tests do: HECHUNK_NEU_CLS_DIR, else ../shared/data/neu-cls beside the repository
/// (the folder holding HeChunkML.sln). Absent: the test is skipped with a message, except under CI=true, where it fails.
/// </summary>
internal static class NeuClsLocator
{
    public const string EnvironmentVariable = "HECHUNK_NEU_CLS_DIR";

    public static string Require()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        string? folder = null, reason;
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            reason = $"{EnvironmentVariable}='{fromEnvironment}' does not exist";
            folder = Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }
        else
        {
            string? root = Environments.RepositoryRoot();
            string candidate = root is null ? "" : Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "neu-cls"));
            reason = root is null ? "no HeChunkML.sln above the test assembly" : $"'{candidate}' does not exist and {EnvironmentVariable} is not set";
            folder = Directory.Exists(candidate) ? candidate : null;
        }

        if (folder is not null)
        {
            return folder;
        }

        Environments.SkipOrFailUnderCi($"NEU-CLS data set not found: {reason}.");
        return "";
    }
}
