using System.Collections.Concurrent;
using MLNet.HeChunk.Datasets.Imaging;
using MLNet.HeChunk.Datasets.Synthetic;

namespace MLNet.HeChunk.Datasets.Tests.Synthetic;

public sealed class WriteToTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hechunk-synthetic-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void WritesTheNeuClsLayoutAndReadsBackAsGenerated()
    {
        var options = new SyntheticDataOptions { Width = 50, Height = 34, ImagesPerClass = 5, Seed = 9 };
        var reports = new ConcurrentBag<int>();

        SyntheticSteelDefects.WriteTo(_root, options, new SynchronousProgress(reports.Add));

        Assert.Equal(["Cr", "In", "PS", "Pa", "RS", "Sc"], Directory.GetDirectories(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (LabeledImage expected in SyntheticSteelDefects.Generate(options))
        {
            string code = SteelDefectClasses.ToCode(expected.Label);
            string path = Path.Combine(_root, code, $"{code}_{expected.Number}.bmp");
            Assert.Equal(expected.Image, BmpReader.ReadFile(path));
        }

        Assert.Equal(30, Directory.GetFiles(_root, "*.bmp", SearchOption.AllDirectories).Length);
        Assert.Equal(Enumerable.Range(1, 30), reports.Order());
    }

    [Fact]
    public void ReplacesEarlierFilesAndLeavesOthersAlone()
    {
        var options = new SyntheticDataOptions { Width = 40, Height = 40, ImagesPerClass = 2, Seed = 1 };
        SyntheticSteelDefects.WriteTo(_root, options with { Seed = 2 });
        string unrelated = Path.Combine(_root, "Cr", "notes.txt");
        File.WriteAllText(unrelated, "keep me");

        SyntheticSteelDefects.WriteTo(_root, options);

        Assert.Equal(
            SyntheticSteelDefects.GenerateImage(SteelDefectClass.Crazing, 2, options),
            BmpReader.ReadFile(Path.Combine(_root, "Cr", "Cr_2.bmp")));
        Assert.Equal("keep me", File.ReadAllText(unrelated));
    }

    /// <summary>Calls back on the reporting thread; <see cref="Progress{T}"/> would post to the thread pool and race the assertions.</summary>
    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
