using System.Diagnostics;
using MLNet.HeChunk.Datasets.Imaging;
using MLNet.HeChunk.Datasets.Synthetic;

namespace MLNet.HeChunk.Datasets.Tests.Synthetic;

[Collection(SerialCollection.Name)]
public sealed class GenerationTests
{
    [Fact]
    public void SetIsOrderedByClassThenNumberWithTheRequestedSize()
    {
        var options = new SyntheticDataOptions { Width = 72, Height = 40, ImagesPerClass = 3 };

        IReadOnlyList<LabeledImage> set = SyntheticSteelDefects.Generate(options);

        Assert.Equal(18, set.Count);
        for (int i = 0; i < set.Count; i++)
        {
            Assert.Equal((SteelDefectClass)(i / 3), set[i].Label);
            Assert.Equal((i % 3) + 1, set[i].Number);
            Assert.Equal(72, set[i].Image.Width);
            Assert.Equal(40, set[i].Image.Height);
        }
    }

    [Fact]
    public void ImagesUseAWideRangeOfGrayLevels()
    {
        // Guards against a painter or the exposure step washing an image out to a flat field or
        // clipping it to black and white: every image must show texture in mid-gray.
        foreach (LabeledImage item in SyntheticSteelDefects.Generate(new SyntheticDataOptions { ImagesPerClass = 10, Seed = 3 }))
        {
            ReadOnlySpan<byte> pixels = item.Image.Pixels;
            double mean = 0;
            foreach (byte p in pixels)
            {
                mean += p;
            }

            mean /= pixels.Length;
            double variance = 0;
            int clipped = 0;
            foreach (byte p in pixels)
            {
                variance += (p - mean) * (p - mean);
                clipped += p is 0 or 255 ? 1 : 0;
            }

            double std = Math.Sqrt(variance / pixels.Length);
            string name = NeuClsLayout.GetFileName(item.Label, item.Number);
            Assert.InRange(mean, 50, 205);
            Assert.True(std > 3, $"{name} is nearly flat (std {std:F1})");
            Assert.True(clipped < pixels.Length / 10, $"{name} clips {clipped} pixels");
        }
    }

    [Fact]
    public void SixtyImagesPerClassTakeAFewSeconds()
    {
        // The brief's budget: 6 x 60 images of 200 x 200 in at most a few seconds on 2 cores.
        // Measured as CPU time so that other processes on a shared machine cannot fail it;
        // 2 cores x 5 s is a generous ceiling over the roughly 2.5 s of CPU it takes.
        var options = new SyntheticDataOptions { ImagesPerClass = 60 };
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;

        SyntheticSteelDefects.Generate(options);

        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - before;
        Assert.True(cpu < TimeSpan.FromSeconds(10), $"6 x 60 images took {cpu.TotalSeconds:F1} s of CPU");
    }

    [Fact]
    public void InvalidRequestsAreRefusedBeforeAnyWork()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticSteelDefects.Generate(new SyntheticDataOptions { Width = 31 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticSteelDefects.Generate(new SyntheticDataOptions { Height = 5000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticSteelDefects.Generate(new SyntheticDataOptions { ImagesPerClass = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticSteelDefects.Generate(new SyntheticDataOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticSteelDefects.GenerateImage(SteelDefectClass.Patches, 0, new SyntheticDataOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticSteelDefects.GenerateImage((SteelDefectClass)6, 1, new SyntheticDataOptions()));
        Assert.Throws<ArgumentException>(() => SyntheticSteelDefects.WriteTo("", new SyntheticDataOptions()));
    }

    [Fact]
    public void CancellationStopsGeneration()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(
            () => SyntheticSteelDefects.Generate(new SyntheticDataOptions(), cancelled.Token));
    }
}
