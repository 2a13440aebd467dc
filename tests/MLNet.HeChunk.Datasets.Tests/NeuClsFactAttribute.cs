namespace MLNet.HeChunk.Datasets.Tests;

/// <summary>
/// A fact that needs the NEU-CLS images. xunit 2 has no run-time skip, so the decision is made
/// when the attribute is built: without the data the test is skipped with a message saying where
/// it was looked for, except when CI=true, where the test runs and fails for want of the data.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NeuClsFactAttribute : FactAttribute
{
    public NeuClsFactAttribute()
    {
        if (NeuClsData.Directory is null && !NeuClsData.Required)
        {
            Skip = NeuClsData.MissingMessage;
        }
    }
}
