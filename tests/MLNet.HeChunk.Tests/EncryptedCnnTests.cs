using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Tests;

/// <summary>The encrypted chunk CNN against the plain reference forward pass, precision in bits.</summary>
public class EncryptedCnnTests : IClassFixture<EncryptedCnnFixture>
{
    private readonly EncryptedCnnFixture _fixture;

    public EncryptedCnnTests(EncryptedCnnFixture fixture) => _fixture = fixture;

    public static TheoryData<EncryptionMode, int> Cases => new()
    {
        { EncryptionMode.AllChunks, 0 },
        { EncryptionMode.FeatureChunks, 1 },   // about half the chunks are features
        { EncryptionMode.FeatureChunks, 2 },   // a single feature chunk
        { EncryptionMode.FeatureChunks, 3 },   // no feature chunk: scored in the clear, answer still encrypted
        { EncryptionMode.FeatureChunks, 4 },   // three feature chunks: 4 planes per ciphertext
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncryptedLogitsMatchPlainReference(EncryptionMode mode, int pattern)
    {
        var random = new Random(100 + pattern);
        Func<int, bool> isFeature = pattern switch
        {
            1 => c => c % 2 == 0,
            2 => c => c == 5,
            3 => _ => false,
            4 => c => c is 0 or 7 or 15,
            _ => _ => true,
        };
        var (image, chunks, index) = _fixture.RandomImage(random, isFeature);
        var encryptor = new ChunkGroupEncryptor(_fixture.Keys, _fixture.Packing, mode, degreeOfParallelism: 2);
        EncryptedChunkGroup group = encryptor.Encrypt(_fixture.Grid, chunks, index);

        // The server side works from bytes with public keys only.
        var serverKeys = _fixture.Keys.PublicOnly();
        var received = EncryptedChunkGroup.FromBytes(group.ToBytes(), serverKeys);
        var scorer = new EncryptedChunkCnn(_fixture.Weights, serverKeys, degreeOfParallelism: 2);
        EncryptedScores scores = scorer.Score(received);

        var decrypted = new ScoreDecryptor(_fixture.Keys).DecryptLogits(EncryptedScores.FromBytes(scores.ToBytes(), _fixture.Keys));
        double[] expected = ChunkCnnReferenceForward.Logits(_fixture.Weights, image);
        double worst = expected.Zip(decrypted, (e, d) => Math.Abs(e - d)).Max();
        double magnitude = expected.Max(Math.Abs);
        // 26-bit scale, five rescales: expect about 2^-12 absolute on logits of this size.
        Assert.True(worst < 1e-3 * Math.Max(1, magnitude), $"largest logit error {worst:E2} (log2 {Math.Log2(worst):F1}), logits up to {magnitude:F2}");
        Assert.Equal(Array.IndexOf(expected, expected.Max()), Array.IndexOf(decrypted, decrypted.Max()));
    }

    [Fact]
    public void AllZeroDenseLayerStillScores()
    {
        // Every diagonal of FC1 is zero, so the product is an encrypted zero; the logits then come from the biases alone.
        ChunkCnnWeights w = _fixture.Weights;
        var weights = new ChunkCnnWeights(w.ImageHeight, w.ImageWidth, w.ChunkSize, w.KernelSize, w.Stride, w.Channels, w.HiddenSize,
            w.ClassCount, w.InputScale, w.InputOffset, w.ConvWeights, w.ConvBias, new double[w.Fc1Weights.Length], w.Fc1Bias,
            w.Fc2Weights, w.Fc2Bias);
        var (image, chunks, index) = _fixture.RandomImage(new Random(11), c => c % 3 == 0);
        EncryptedChunkGroup group = new ChunkGroupEncryptor(_fixture.Keys, _fixture.Packing, EncryptionMode.FeatureChunks).Encrypt(_fixture.Grid, chunks, index);
        EncryptedScores scores = new EncryptedChunkCnn(weights, _fixture.Keys.PublicOnly()).Score(group);
        double[] decrypted = new ScoreDecryptor(_fixture.Keys).DecryptLogits(scores);
        double[] expected = ChunkCnnReferenceForward.Logits(weights, image);
        Assert.True(expected.Zip(decrypted, (e, d) => Math.Abs(e - d)).Max() < 1e-3, string.Join(", ", decrypted));
    }

    [Fact]
    public void FeatureModeSendsNonFeatureChunksInTheClearAndEncryptsTheRest()
    {
        var (_, chunks, index) = _fixture.RandomImage(new Random(3), c => c < 4);
        var group = new ChunkGroupEncryptor(_fixture.Keys, _fixture.Packing, EncryptionMode.FeatureChunks).Encrypt(_fixture.Grid, chunks, index);
        Assert.Equal([0, 1, 2, 3], group.EncryptedChunks);
        Assert.Equal(Enumerable.Range(4, 12), group.PlainChunks.Keys.Order());
        foreach ((int chunk, float[] pixels) in group.PlainChunks)
        {
            // Non-feature chunks are bit-identical plaintext.
            Assert.Equal(chunks.AsSpan(chunk * 784, 784).ToArray(), pixels);
        }

        // Each convolution input once, two planes to a complex slot: 25 plane pairs in rows of 16 slots, 16 rows per chunk
        // segment, so two ciphertexts, however many chunks are encrypted.
        Assert.Equal(2, group.Ciphertexts.Count);
    }

    [Fact]
    public void OnlyFeatureModeRevealsTheGatesVerdict()
    {
        var (_, chunks, index) = _fixture.RandomImage(new Random(8), c => c % 5 == 0);
        foreach (EncryptionMode mode in new[] { EncryptionMode.AllChunks, EncryptionMode.WholeImage })
        {
            var group = new ChunkGroupEncryptor(_fixture.Keys, _fixture.Packing, mode).Encrypt(_fixture.Grid, chunks, index);
            Assert.Equal(Enumerable.Range(1, 16), group.ChunkIndex);
        }

        var feature = new ChunkGroupEncryptor(_fixture.Keys, _fixture.Packing, EncryptionMode.FeatureChunks).Encrypt(_fixture.Grid, chunks, index);
        Assert.Equal(index, feature.ChunkIndex);
    }

    [Fact]
    public void ScorerRefusesKeysWithoutANeededRotationNamingTheStep()
    {
        var keys = HeChunkKeys.Generate(_fixture.Parameters, [1, 2, 3]);
        var error = Assert.Throws<ArgumentException>(() => new EncryptedChunkCnn(_fixture.Weights, keys));
        Assert.Contains("rotation step", error.Message);
    }

    [Fact]
    public void ScorerRefusesWholeImageGroupsAndForeignKeys()
    {
        var (_, chunks, index) = _fixture.RandomImage(new Random(4), _ => true);
        var whole = new ChunkGroupEncryptor(_fixture.Keys, _fixture.Packing, EncryptionMode.WholeImage).Encrypt(_fixture.Grid, chunks, index);
        Assert.Equal(4, whole.Ciphertexts.Count);
        var scorer = new EncryptedChunkCnn(_fixture.Weights, _fixture.Keys);
        Assert.Contains("WholeImage", Assert.Throws<InvalidDataException>(() => scorer.Score(whole)).Message);

        var otherKeys = HeChunkKeys.GenerateForChunkCnn(_fixture.Parameters, _fixture.Packing);
        var group = new ChunkGroupEncryptor(otherKeys, _fixture.Packing, EncryptionMode.AllChunks).Encrypt(_fixture.Grid, chunks, index);
        Assert.Contains("key set", Assert.Throws<InvalidDataException>(() => scorer.Score(group)).Message);
        Assert.Contains("key set", Assert.Throws<InvalidDataException>(() => EncryptedChunkGroup.FromBytes(group.ToBytes(), _fixture.Keys)).Message);
    }

    [Fact]
    public void TamperedGroupBytesAreRefused()
    {
        var (_, chunks, index) = _fixture.RandomImage(new Random(5), c => c % 3 == 0);
        byte[] bytes = new ChunkGroupEncryptor(_fixture.Keys, _fixture.Packing, EncryptionMode.FeatureChunks).Encrypt(_fixture.Grid, chunks, index).ToBytes();
        var random = new Random(6);
        for (int trial = 0; trial < 50; trial++)
        {
            byte[] tampered = (byte[])bytes.Clone();
            tampered[random.Next(tampered.Length)] ^= (byte)(1 << random.Next(8));
            Assert.Throws<InvalidDataException>(() => EncryptedChunkGroup.FromBytes(tampered, _fixture.Keys));
        }

        Assert.Throws<InvalidDataException>(() => EncryptedChunkGroup.FromBytes(bytes.AsSpan(0, bytes.Length - 100), _fixture.Keys));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GroupsOfTheEarlierPackingAreRefusedByVersion(ushort version)
    {
        var (_, chunks, index) = _fixture.RandomImage(new Random(9), _ => true);
        byte[] bytes = new ChunkGroupEncryptor(_fixture.Keys, _fixture.Packing, EncryptionMode.AllChunks).Encrypt(_fixture.Grid, chunks, index).ToBytes();
        // Payload: u32 magic, u16 version, ...; then the 32-byte digest, resealed so that only the version differs.
        byte[] payload = bytes[..^32];
        BitConverter.GetBytes(version).CopyTo(payload, 4);
        var e = Assert.Throws<InvalidDataException>(() => EncryptedChunkGroup.FromBytes(IntegrityEnvelope.Seal(payload), _fixture.Keys));
        Assert.Contains($"format version {version} holds the earlier plane packing", e.Message);
    }
}
