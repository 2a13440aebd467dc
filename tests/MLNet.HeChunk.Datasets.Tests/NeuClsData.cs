using MLNet.HeChunk.TestData;

namespace MLNet.HeChunk.Datasets.Tests;

/// <summary>The NEU-CLS images for the tests that compare with real data (<see cref="NeuClsFolder"/>).</summary>
internal static class NeuClsData
{
    private static readonly Lazy<(string? Folder, string Reason)> Root = new(() => (NeuClsFolder.TryFind(out string reason), reason));

    /// <summary>The data folder, or null if it cannot be found.</summary>
    public static string? Directory => Root.Value.Folder;

    /// <summary>Whether missing data must fail the run (on CI) instead of skipping.</summary>
    public static bool Required => NeuClsFolder.Required;

    public static string MissingMessage => $"NEU-CLS not found: {Root.Value.Reason}.";

    /// <summary>The data folder; fails the test with a clear message if it is absent.</summary>
    public static string RequireDirectory() => Directory ?? throw new InvalidOperationException(MissingMessage);
}
