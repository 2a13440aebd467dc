using MLNet.HeChunk.Imaging;

namespace MLNet.HeChunk.Tests;

public class HistogramEqualizerTests
{
    [Fact]
    public void TwoLevelsStretchToFullRangeWithMidpointRoundedAwayFromZero()
    {
        // Histogram: 0 x2, 100 x1, 200 x1. N = 4, H_min = 2.
        // out(0) = 0; out(100) = round(255 * (3 - 2) / 2) = round(127.5) = 128; out(200) = 255.
        float[] image = [0, 0, 100, 200];
        var result = new float[4];
        HistogramEqualizer.Equalize(image, result);
        Assert.Equal([0f, 0f, 128f, 255f], result);
    }

    [Fact]
    public void ThreeLevelsFollowTheCumulativeHistogram()
    {
        // H(10) = 1, H(20) = 3, H(30) = 6; scale 255 / (6 - 1) = 51: 0, 102, 255.
        float[] image = [30, 20, 10, 30, 20, 30];
        var result = new float[6];
        HistogramEqualizer.Equalize(image, result);
        Assert.Equal([255f, 102f, 0f, 255f, 102f, 255f], result);
    }

    [Fact]
    public void ValuesAreRoundedAndClampedBeforeBinning()
    {
        // -5 -> 0, 0.4 -> 0, 99.5 -> 100, 300 -> 255: levels 0 (x2), 100, 255; H_min = 2, scale 127.5.
        float[] image = [-5f, 0.4f, 99.5f, 300f];
        var result = new float[4];
        HistogramEqualizer.Equalize(image, result);
        Assert.Equal([0f, 0f, 128f, 255f], result);
        Assert.Equal(0, HistogramEqualizer.ToLevel(-0.5f));
        Assert.Equal(1, HistogramEqualizer.ToLevel(0.5f));
        Assert.Equal(255, HistogramEqualizer.ToLevel(254.5f));
    }

    [Fact]
    public void ConstantImageIsReturnedUnchanged()
    {
        float[] image = [77, 77, 77, 77];
        var result = new float[4];
        HistogramEqualizer.Equalize(image, result);
        Assert.Equal(image, result);
    }

    [Fact]
    public void OutputIsMonotoneAndSpansZeroTo255OnRandomImages()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var image = TestData.Random(random, 1 + random.Next(400));
            if (image.Distinct().Count() < 2)
                continue;
            var result = new float[image.Length];
            HistogramEqualizer.Equalize(image, result);
            Assert.Equal(0f, result.Min());
            Assert.Equal(255f, result.Max());
            var order = Enumerable.Range(0, image.Length).OrderBy(i => image[i]).ToArray();
            for (int i = 1; i < order.Length; i++)
                Assert.True(result[order[i]] >= result[order[i - 1]], "equalization must preserve the order of grey levels");
        }
    }

    [Fact]
    public void EmptyImageIsRejected() =>
        Assert.Throws<ArgumentException>(() => HistogramEqualizer.Equalize([], []));
}
