namespace MLNet.HeChunk.Training.Tests.NeuCls;

/// <summary>
/// A fact that runs only when the environment variable HECHUNK_NEU_CLS names the NEU-CLS folder:
/// the measurement takes minutes, far beyond the unit-test budget, and needs data the repository
/// must not contain.
/// </summary>
public sealed class NeuClsFactAttribute : FactAttribute
{
    /// <summary>The environment variable holding the data folder.</summary>
    public const string Variable = "HECHUNK_NEU_CLS";

    /// <summary>Skips the test unless <see cref="Variable"/> names an existing folder.</summary>
    public NeuClsFactAttribute()
    {
        string? root = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(root) || !Directory.Exists(root))
            Skip = $"Set {Variable} to the NEU-CLS folder to run this measurement.";
    }
}
