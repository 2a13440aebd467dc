using MLNet.HeChunk.Datasets.Synthetic;

namespace MLNet.HeChunk.Datasets.Tests.Synthetic;

public sealed class PortableMathTests
{
    [Fact]
    public void SineAndCosineAgreeWithTheRuntimeToNearDoublePrecision()
    {
        for (double x = -20; x <= 20; x += 0.0137)
        {
            Assert.Equal(Math.Sin(x), PortableMath.Sin(x), 1e-14);
            Assert.Equal(Math.Cos(x), PortableMath.Cos(x), 1e-14);
        }
    }

    [Fact]
    public void ExponentialAgreesWithTheRuntimeInRelativeTerms()
    {
        for (double x = -60; x <= 60; x += 0.0731)
        {
            double expected = Math.Exp(x);
            Assert.True(Math.Abs(PortableMath.Exp(x) - expected) <= 1e-14 * expected, $"exp({x})");
        }

        Assert.Equal(0, PortableMath.Exp(-800));
        Assert.Equal(1, PortableMath.Exp(0));
    }
}
