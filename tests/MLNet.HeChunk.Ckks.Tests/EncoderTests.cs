using System.Numerics;

namespace MLNet.HeChunk.Ckks.Tests;

public class EncoderTests
{
    [Fact]
    public void SpecialFftEvaluatesAtPowersOfFiveOfZeta()
    {
        var parameters = CkksParameters.Create(CkksPresets.InsecureN1024);
        var encoder = new CkksEncoder(parameters);
        int n = parameters.SlotCount;
        var random = new Random(1);
        var w = Enumerable.Range(0, n).Select(_ => new Complex(random.NextDouble(), random.NextDouble())).ToArray();
        var transformed = (Complex[])w.Clone();
        encoder.SpecialFft(transformed);
        int m = 2 * parameters.N;
        long power = 1;
        for (int j = 0; j < n; j += 37)
        {
            power = 1;
            for (int t = 0; t < j; t++)
            {
                power = power * 5 % m;
            }

            Complex zeta = Complex.FromPolarCoordinates(1, 2 * Math.PI * power / m);
            Complex value = Complex.Zero;
            for (int k = n - 1; k >= 0; k--)
            {
                value = value * zeta + w[k];
            }

            Assert.True(Complex.Abs(value - transformed[j]) < 1e-9, $"slot {j}: {value} vs {transformed[j]}");
        }

        encoder.InverseSpecialFft(transformed);
        for (int k = 0; k < n; k++)
        {
            Assert.True(Complex.Abs(w[k] - transformed[k]) < 1e-12);
        }
    }

    [Theory]
    [InlineData("InsecureN1024", 0)]
    [InlineData("InsecureN1024", 2)]
    [InlineData("N8192CnnChain", 6)]
    [InlineData("N8192CnnChain", 0)]
    public void EncodeDecodeRoundTripKeepsPrecision(string name, int level)
    {
        TestContext context = TestContext.Get(name);
        var random = new Random(level + 17);
        Complex[] values = context.RandomComplex(random);
        Plaintext plaintext = context.Encoder.Encode(values, level, context.Parameters.DefaultScale);
        Complex[] decoded = context.Encoder.Decode(plaintext);
        var precision = Precision.Measure(values, decoded);
        // Rounding to integers at scale 2^s loses about s - log2(N) bits at worst; keep a margin.
        double expectedBits = Math.Log2(context.Parameters.DefaultScale) - context.Parameters.LogN;
        Assert.True(precision.MinBits > expectedBits - 2, precision.ToString());
    }

    [Fact]
    public void LargeValuesBeyondTwoTo62RoundTrip()
    {
        TestContext context = TestContext.Get("InsecureN1024");
        // 2^40 scale times values of 2^30 gives 2^70 coefficients: the exact large-double path.
        var values = Enumerable.Range(0, 8).Select(i => (double)(1L << 30) * (i + 1)).ToArray();
        Plaintext plaintext = context.Encoder.Encode(values, context.Parameters.MaxLevel, context.Parameters.DefaultScale);
        double[] decoded = context.Encoder.DecodeReal(plaintext);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(decoded[i] - values[i]) / values[i] < 1e-9, $"{decoded[i]} vs {values[i]}");
        }
    }

    [Fact]
    public void RejectsTooManyValuesNonFiniteValuesAndBadLevels()
    {
        TestContext context = TestContext.Get("InsecureN1024");
        var encoder = context.Encoder;
        Assert.Contains("slots", Assert.Throws<ArgumentException>(() => encoder.Encode(new double[context.Parameters.SlotCount + 1])).Message);
        Assert.Contains("not finite", Assert.Throws<ArgumentException>(() => encoder.Encode([1.0, double.NaN])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode([1.0], 99, 1 << 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode([1.0], 0, 0.5));
    }
}
