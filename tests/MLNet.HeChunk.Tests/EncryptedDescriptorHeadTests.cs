using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Imaging;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Tests;

/// <summary>The chunk CNN with a texture-descriptor head, encrypted against the plain reference (128-bit parameters).</summary>
public class EncryptedDescriptorHeadTests : IClassFixture<EncryptedCnnFixture>
{
    private readonly EncryptedCnnFixture _fixture;

    public EncryptedDescriptorHeadTests(EncryptedCnnFixture fixture) => _fixture = fixture;

    /// <summary>Random chunk weights plus a random head on raw descriptors (standardization folded in, as the export does).</summary>
    internal static ChunkCnnWeights WithRandomHead(ChunkCnnWeights chunk, Random random, float[][] sampleDescriptors, int hidden = 64)
    {
        int inputs = sampleDescriptors[0].Length;
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        // Standardize by the sample's spread so the hidden units stay O(1), like a trained head's.
        double[] mean = Enumerable.Range(0, inputs).Select(i => sampleDescriptors.Average(d => (double)d[i])).ToArray();
        double[] inverse = Enumerable.Range(0, inputs).Select(i =>
        {
            double sd = Math.Sqrt(sampleDescriptors.Average(d => (d[i] - mean[i]) * (d[i] - mean[i])));
            return sd < 1e-9 ? 1 : 1 / sd;
        }).ToArray();
        var w1 = new double[hidden * inputs];
        var b1 = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            double shift = 0.1 * Normal();
            for (int i = 0; i < inputs; i++)
            {
                double w = 0.3 / Math.Sqrt(inputs) * Normal() * inverse[i];
                w1[j * inputs + i] = w;
                shift -= w * mean[i];
            }

            b1[j] = shift;
        }

        var head = new DescriptorHead(inputs, hidden, chunk.ClassCount, w1, b1,
            [.. Enumerable.Range(0, chunk.ClassCount * hidden).Select(_ => 0.05 * Normal())], [.. Enumerable.Range(0, chunk.ClassCount).Select(_ => 0.1 * Normal())]);
        return new ChunkCnnWeights(chunk.ImageHeight, chunk.ImageWidth, chunk.ChunkSize, chunk.KernelSize, chunk.Stride, chunk.Channels, chunk.HiddenSize,
            chunk.ClassCount, chunk.InputScale, chunk.InputOffset, chunk.ConvWeights, chunk.ConvBias, chunk.Fc1Weights, chunk.Fc1Bias, chunk.Fc2Weights,
            chunk.Fc2Bias, 1.0, null, head);
    }

    private static float[] Descriptors(float[] image) => TextureFeatures.Compute([.. image, .. image, .. image], 3, 112, 112);

    /// <summary>Images of different brightness, contrast and smoothness, so the descriptors spread as on real data.</summary>
    private (float[] Image, float[] Chunks, int[] Index) VariedImage(Random random, Func<int, bool> isFeature)
    {
        var (noise, _, _) = _fixture.RandomImage(random, isFeature);
        double offset = 40 + 170 * random.NextDouble(), contrast = 0.1 + 0.5 * random.NextDouble();
        int blur = random.Next(3);
        var image = new float[noise.Length];
        for (int i = 0; i < image.Length; i++)
        {
            double v = noise[i];
            for (int b = 1; b <= blur && i + b < noise.Length; b++)
                v += noise[i + b];
            image[i] = (float)Math.Clamp(offset + contrast * (v / (blur + 1) - 127.5), 0, 255);
        }

        var chunks = new float[_fixture.Grid.VectorLength];
        _fixture.Grid.Split(image, chunks);
        int[] index = Enumerable.Range(0, _fixture.Grid.ChunkCount).Select(c => isFeature(c) ? c + 1 : -(c + 1)).ToArray();
        return (image, chunks, index);
    }

    [Theory]
    [InlineData(EncryptionMode.AllChunks)]
    [InlineData(EncryptionMode.FeatureChunks)]
    public void EncryptedLogitsWithDescriptorHeadMatchPlainReference(EncryptionMode mode)
    {
        var random = new Random(42);
        var images = Enumerable.Range(0, 8).Select(_ => VariedImage(random, c => c % 3 == 0)).ToList();
        float[][] descriptors = [.. images.Select(i => Descriptors(i.Image))];
        ChunkCnnWeights weights = WithRandomHead(_fixture.Weights, random, descriptors);
        var serverKeys = _fixture.Keys.PublicOnly();
        var scorer = new EncryptedChunkCnn(weights, serverKeys, degreeOfParallelism: 2);
        var encryptor = new ChunkGroupEncryptor(serverKeys, _fixture.Packing, mode, degreeOfParallelism: 2);
        for (int n = 0; n < 3; n++)
        {
            var (image, chunks, index) = images[n];
            EncryptedChunkGroup group = EncryptedChunkGroup.FromBytes(encryptor.Encrypt(_fixture.Grid, chunks, index, descriptors[n]).ToBytes(), serverKeys);
            Assert.NotNull(group.DescriptorCiphertext);
            Assert.Equal(DescriptorPacking.RequiredDepth, group.DescriptorCiphertext!.Level);
            double[] decrypted = new ScoreDecryptor(_fixture.Keys).DecryptLogits(scorer.Score(group));
            double[] expected = ChunkCnnReferenceForward.Logits(weights, image, descriptors[n]);
            double[] chunkOnly = ChunkCnnReferenceForward.Logits(_fixture.Weights, image);
            double worst = expected.Zip(decrypted, (e, d) => Math.Abs(e - d)).Max();
            Assert.True(worst < 1e-3 * Math.Max(1, expected.Max(Math.Abs)), $"image {n}: largest logit error {worst:E2} (log2 {Math.Log2(worst):F1})");
            // The head must matter, or the comparison above would not test it.
            Assert.True(expected.Zip(chunkOnly, (a, b) => Math.Abs(a - b)).Max() > 1e-2, "the random head contributes nothing");
            Assert.Equal(expected, new PlainChunkCnn(weights).Logits(chunks, descriptors[n]), (a, b) => Math.Abs(a - b) < 1e-9);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    public void TwoToSixteenClassesScoreEncrypted(int classes)
    {
        var random = new Random(classes);
        var images = Enumerable.Range(0, 6).Select(_ => VariedImage(random, _ => true)).ToList();
        float[][] descriptors = [.. images.Select(i => Descriptors(i.Image))];
        ChunkCnnWeights weights = WithRandomHead(EncryptedCnnFixture.RandomWeights(random, classes), random, descriptors);
        var (image, chunks, index) = images[0];
        EncryptedChunkGroup group = new ChunkGroupEncryptor(_fixture.Keys.PublicOnly(), _fixture.Packing, EncryptionMode.AllChunks, degreeOfParallelism: 2)
            .Encrypt(_fixture.Grid, chunks, index, descriptors[0]);
        double[] decrypted = new ScoreDecryptor(_fixture.Keys).DecryptLogits(new EncryptedChunkCnn(weights, _fixture.Keys.PublicOnly(), 2).Score(group));
        double[] expected = ChunkCnnReferenceForward.Logits(weights, image, descriptors[0]);
        Assert.Equal(classes, decrypted.Length);
        Assert.True(expected.Zip(decrypted, (e, d) => Math.Abs(e - d)).Max() < 1e-3, string.Join(", ", decrypted));
    }

    [Fact]
    public void HeadOnlyAnswerWhenNoChunkIsEncrypted()
    {
        // Feature mode with no feature chunk: the chunks go in the clear, the descriptors stay encrypted and the head runs on them.
        var random = new Random(5);
        var (image, chunks, index) = VariedImage(random, _ => false);
        float[] descriptors = Descriptors(image);
        ChunkCnnWeights weights = WithRandomHead(_fixture.Weights, random, [descriptors, .. Enumerable.Range(0, 6).Select(_ => Descriptors(VariedImage(random, _ => false).Image))]);
        EncryptedChunkGroup group = new ChunkGroupEncryptor(_fixture.Keys.PublicOnly(), _fixture.Packing, EncryptionMode.FeatureChunks)
            .Encrypt(_fixture.Grid, chunks, index, descriptors);
        Assert.Empty(group.Ciphertexts);
        double[] decrypted = new ScoreDecryptor(_fixture.Keys).DecryptLogits(new EncryptedChunkCnn(weights, _fixture.Keys.PublicOnly()).Score(group));
        double[] expected = ChunkCnnReferenceForward.Logits(weights, image, descriptors);
        Assert.True(expected.Zip(decrypted, (e, d) => Math.Abs(e - d)).Max() < 1e-3, string.Join(", ", decrypted));
    }

    [Fact]
    public void HeadModelRefusesAGroupWithoutDescriptors()
    {
        var random = new Random(9);
        var (image, chunks, index) = _fixture.RandomImage(random, _ => true);
        ChunkCnnWeights weights = WithRandomHead(_fixture.Weights, random, [Descriptors(image), .. Enumerable.Range(0, 6).Select(_ => Descriptors(VariedImage(random, _ => true).Image))]);
        EncryptedChunkGroup group = new ChunkGroupEncryptor(_fixture.Keys.PublicOnly(), _fixture.Packing, EncryptionMode.AllChunks).Encrypt(_fixture.Grid, chunks, index);
        var error = Assert.Throws<InvalidDataException>(() => new EncryptedChunkCnn(weights, _fixture.Keys.PublicOnly()).Score(group));
        Assert.Contains("descriptor", error.Message);
        Assert.Throws<ArgumentException>(() => new PlainChunkCnn(weights).Logits(chunks));
    }
}
