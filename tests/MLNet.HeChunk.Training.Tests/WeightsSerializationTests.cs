using MLNet.HeChunk.Cnn;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>The chunk CNN weights byte format round-trips and refuses damaged bytes.</summary>
public sealed class WeightsSerializationTests
{
    private static ChunkCnnWeights Sample(bool withBounds = true)
    {
        var random = new Random(5);
        double[] R(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return new ChunkCnnWeights(56, 56, 28, 7, 3, 4, 128, 6, 1 / 73.6, -127.5 / 73.6,
            R(4 * 49), R(4), R(128 * 256), R(128), R(6 * 128), R(6), 2.5,
            withBounds ? new ChunkCnnActivationBounds(1.7, 4, 16, 9, 81, 30, 20) : null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RoundTripsEveryField(bool withBounds)
    {
        ChunkCnnWeights original = Sample(withBounds);
        ChunkCnnWeights copy = ChunkCnnWeightsSerializer.Deserialize(ChunkCnnWeightsSerializer.Serialize(original));
        Assert.Equal(
            (original.ImageHeight, original.ImageWidth, original.ChunkSize, original.KernelSize, original.Stride, original.Channels, original.HiddenSize, original.ClassCount),
            (copy.ImageHeight, copy.ImageWidth, copy.ChunkSize, copy.KernelSize, copy.Stride, copy.Channels, copy.HiddenSize, copy.ClassCount));
        Assert.Equal((original.InputScale, original.InputOffset, original.LogitScale), (copy.InputScale, copy.InputOffset, copy.LogitScale));
        Assert.Equal(original.ConvWeights, copy.ConvWeights);
        Assert.Equal(original.ConvBias, copy.ConvBias);
        Assert.Equal(original.Fc1Weights, copy.Fc1Weights);
        Assert.Equal(original.Fc1Bias, copy.Fc1Bias);
        Assert.Equal(original.Fc2Weights, copy.Fc2Weights);
        Assert.Equal(original.Fc2Bias, copy.Fc2Bias);
        Assert.Equal(original.Bounds, copy.Bounds);
        Assert.Equal(256, copy.FeatureLength);
        Assert.Equal(4, copy.ChunkCount);
    }

    [Fact]
    public void FlippedBitAnywhereIsRejected()
    {
        byte[] bytes = ChunkCnnWeightsSerializer.Serialize(Sample());
        var random = new Random(1);
        int[] positions = [0, 5, 9, 13, 44, 50, 100, bytes.Length / 2, bytes.Length - 1, .. Enumerable.Range(0, 20).Select(_ => random.Next(bytes.Length))];
        foreach (int at in positions)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[at] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => ChunkCnnWeightsSerializer.Deserialize(corrupt));
        }
    }

    [Fact]
    public void TruncatedOrPaddedBytesAreRejected()
    {
        byte[] bytes = ChunkCnnWeightsSerializer.Serialize(Sample());
        foreach (int length in new[] { 0, 3, 43, 44, 100, bytes.Length - 1 })
            Assert.Throws<InvalidDataException>(() => ChunkCnnWeightsSerializer.Deserialize(bytes.AsSpan(0, length)));
        Assert.Throws<InvalidDataException>(() => ChunkCnnWeightsSerializer.Deserialize([.. bytes, 0]));
    }

    [Fact]
    public void WrongVersionSaysSo()
    {
        byte[] bytes = ChunkCnnWeightsSerializer.Serialize(Sample());
        bytes[4] = 9;
        var e = Assert.Throws<InvalidDataException>(() => ChunkCnnWeightsSerializer.Deserialize(bytes));
        Assert.Contains("version 9", e.Message);
    }

    [Fact]
    public void ConstructorRejectsWrongShapes()
    {
        Assert.Throws<ArgumentException>(() => new ChunkCnnWeights(56, 56, 28, 7, 3, 4, 128, 6, 1, 0,
            new double[4 * 49], new double[4], new double[128 * 255], new double[128], new double[6 * 128], new double[6]));
        Assert.Throws<ArgumentException>(() => new ChunkCnnWeights(50, 56, 28, 7, 3, 4, 128, 6, 1, 0,
            new double[4 * 49], new double[4], new double[128 * 256], new double[128], new double[6 * 128], new double[6]));
    }
}
