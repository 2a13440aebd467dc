using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// Shared, expensive objects for the encryption tests: one real 128-bit key set (N = 8192, the CNN chain) with the
/// chunk CNN's Galois keys, random chunk-CNN weights of the paper's shape, and random gated images.
/// </summary>
public sealed class EncryptedCnnFixture
{
    public EncryptedCnnFixture()
    {
        Parameters = CkksParameters.Create(CkksPresets.N8192ChunkCnn);
        Keys = HeChunkKeys.GenerateForChunkCnn(Parameters, Packing, 28, degreeOfParallelism: 2);
        Weights = RandomWeights(new Random(7), classCount: 6);
    }

    public ChunkPacking Packing { get; } = new();

    public CkksParameters Parameters { get; }

    public HeChunkKeys Keys { get; }

    public ChunkCnnWeights Weights { get; }

    public ChunkGrid Grid { get; } = new(112, 112, 28, 28);

    /// <summary>Weights of the default geometry with magnitudes like a trained model's (bounded intermediates).</summary>
    public static ChunkCnnWeights RandomWeights(Random random, int classCount, int stride = 7, int channels = 16)
    {
        double Normal(double sigma) => sigma * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        int o = (28 - 7) / stride + 1;
        int features = channels * o * o;
        double[] Fill(int n, double sigma) => Enumerable.Range(0, n).Select(_ => Normal(sigma)).ToArray();
        return new ChunkCnnWeights(112, 112, 28, 7, stride, channels, 128, classCount,
            inputScale: 1 / 255.0 * 2, inputOffset: -1,
            convWeights: Fill(channels * 49, 0.15), convBias: Fill(channels, 0.1),
            fc1Weights: Fill(128 * features, 0.06), fc1Bias: Fill(128, 0.1),
            fc2Weights: Fill(classCount * 128, 0.1), fc2Bias: Fill(classCount, 0.1));
    }

    /// <summary>A random image (0-255) cut into chunks, with a signed index marking chunks by the given predicate.</summary>
    public (float[] Image, float[] Chunks, int[] Index) RandomImage(Random random, Func<int, bool> isFeature)
    {
        var image = new float[Grid.ImageLength];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = random.Next(256);
        }

        var chunks = new float[Grid.VectorLength];
        Grid.Split(image, chunks);
        int[] index = Enumerable.Range(0, Grid.ChunkCount).Select(c => isFeature(c) ? c + 1 : -(c + 1)).ToArray();
        return (image, chunks, index);
    }
}
