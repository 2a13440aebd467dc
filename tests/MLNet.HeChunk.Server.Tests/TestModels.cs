using MLNet.HeChunk.Cnn;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>
/// Chunk-CNN weights of the trained model's shape (112x112 images, 28x28 chunks, 7x7 kernel, stride 7, 16 channels,
/// 128 hidden units, 6 classes) with random values of a trained model's magnitudes: prediction equality between the
/// service and the local scorer does not need a trained model.
/// </summary>
internal static class TestModels
{
    public static readonly string[] ClassNames = ["Cr", "In", "PS", "Pa", "RS", "Sc"];

    public static ChunkCnnWeights RandomWeights(int seed)
    {
        var random = new Random(seed);
        double[] Gaussian(int count, double sigma) => Enumerable.Range(0, count)
            .Select(_ => sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Sin(2 * Math.PI * random.NextDouble()))
            .ToArray();
        const int channels = 16, features = channels * 16, hidden = 128, classes = 6;
        return new ChunkCnnWeights(112, 112, 28, 7, 7, channels, hidden, classes,
            inputScale: 2 / 255.0, inputOffset: -1,
            convWeights: Gaussian(channels * 49, 0.15), convBias: Gaussian(channels, 0.1),
            fc1Weights: Gaussian(hidden * features, 0.06), fc1Bias: Gaussian(hidden, 0.1),
            fc2Weights: Gaussian(classes * hidden, 0.1), fc2Bias: Gaussian(classes, 0.1));
    }
}
