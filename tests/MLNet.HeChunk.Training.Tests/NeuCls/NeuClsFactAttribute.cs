using MLNet.HeChunk.TestData;

namespace MLNet.HeChunk.Training.Tests.NeuCls;

/// <summary>
/// A fact that runs only when asked with <see cref="SwitchVariable"/>=1 and NEU-CLS is found (<see cref="NeuClsFolder"/>,
/// the same folder as every other test): the measurement takes minutes, far beyond the unit-test budget.
/// </summary>
public sealed class NeuClsFactAttribute : FactAttribute
{
    /// <summary>The switch that asks for the measurement (the data folder itself comes from HECHUNK_NEU_CLS_DIR or ../shared).</summary>
    public const string SwitchVariable = "HECHUNK_NEU_MEASURE";

    /// <summary>Skips the test unless <see cref="SwitchVariable"/> is 1 and the data folder is found.</summary>
    public NeuClsFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(SwitchVariable) != "1")
            Skip = $"Set {SwitchVariable}=1 to run this measurement (minutes; NEU-CLS from {NeuClsFolder.EnvironmentVariable} or ../shared/data/neu-cls).";
        else if (Folder is null)
            Skip = $"NEU-CLS not found: {_reason}.";
    }

    private static string _reason = "";

    /// <summary>The NEU-CLS folder, or null.</summary>
    public static string? Folder { get; } = NeuClsFolder.TryFind(out _reason);
}
