using MLNet.HeChunk.Datasets.Synthetic;

namespace MLNet.HeChunk.Datasets.Tests.Synthetic;

public sealed class RandomSourceTests
{
    [Fact]
    public void SplitMix64MatchesTheReferenceSequence()
    {
        // Outputs of Vigna's splitmix64.c for seed 1234567 (also the Rosetta Code reference values).
        var generator = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];

        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => generator.Next()));
    }

    [Fact]
    public void Xoshiro256StarStarMatchesTheReferenceSequence()
    {
        // Reference xoshiro256** 1.0 (Python transcription of xoshiro256starstar.c), state filled
        // from SplitMix64(42) as the constructor does.
        var generator = new Xoshiro256StarStar(42);
        ulong[] expected = [1546998764402558742, 6990951692964543102, 12544586762248559009, 17057574109182124193, 18295552978065317476];

        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => generator.NextUInt64()));
    }

    [Fact]
    public void IntegersCoverTheirInclusiveRangeEvenly()
    {
        var generator = new Xoshiro256StarStar(7);
        var counts = new int[5];
        for (int i = 0; i < 50_000; i++)
        {
            counts[generator.Int(-2, 2) + 2]++;
        }

        // Expected 10 000 each; 5 standard deviations is about 450.
        Assert.All(counts, count => Assert.InRange(count, 9_550, 10_450));
        Assert.Equal(int.MinValue, new Xoshiro256StarStar(1).Int(int.MinValue, int.MinValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Int(3, 2));
    }

    [Fact]
    public void GaussianApproximationHasUnitVarianceAndZeroMean()
    {
        var generator = new Xoshiro256StarStar(8);
        double sum = 0;
        double sumSquares = 0;
        const int samples = 200_000;
        for (int i = 0; i < samples; i++)
        {
            double g = generator.NextGaussian();
            sum += g;
            sumSquares += g * g;
        }

        double mean = sum / samples;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange((sumSquares / samples) - (mean * mean), 0.98, 1.02);
    }
}
