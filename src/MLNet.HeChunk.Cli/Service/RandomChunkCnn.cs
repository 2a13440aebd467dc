using MLNet.HeChunk.Cnn;

namespace MLNet.HeChunk.Cli.Service;

/// <summary>
/// Chunk-CNN weights of the trained model's default shape with random values of a trained model's magnitudes, for load
/// tests without a trained model (the cost of encrypted evaluation does not depend on the weights' values).
/// </summary>
internal static class RandomChunkCnn
{
    public static ChunkCnnWeights Create(int seed)
    {
        var random = new Random(seed);
        double[] Normal(int count, double sigma) => Enumerable.Range(0, count)
            .Select(_ => sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))
            .ToArray();
        const int channels = 16, hidden = 128, classes = 6, features = channels * 16;
        return new ChunkCnnWeights(112, 112, 28, 7, 7, channels, hidden, classes, inputScale: 2 / 255.0, inputOffset: -1,
            convWeights: Normal(channels * 49, 0.15), convBias: Normal(channels, 0.1),
            fc1Weights: Normal(hidden * features, 0.06), fc1Bias: Normal(hidden, 0.1),
            fc2Weights: Normal(classes * hidden, 0.1), fc2Bias: Normal(classes, 0.1));
    }
}
