using System.Numerics;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// The compact plane packing (issue 10): every convolution input travels once, two to a complex slot, and the server's
/// convolution on it matches the plaintext convolution to a stated number of bits.
/// </summary>
public class PlanePackingTests(EncryptedCnnFixture fixture) : IClassFixture<EncryptedCnnFixture>
{
    [Theory]
    [InlineData(7, 7, 16, 16)]
    [InlineData(7, 7, 16, 3)]
    [InlineData(7, 7, 4, 16)]
    [InlineData(4, 4, 16, 4)]
    [InlineData(7, 3, 8, 2)]
    public void PackAndUnpackAreInverseAndEachConvolutionInputIsSentOnce(int kernel, int stride, int channels, int chunks)
    {
        var packing = new ChunkPacking(kernel, stride, channels);
        var layout = new PlaneLayout(packing, 28, 4096, chunks);
        var random = new Random(kernel * 100 + stride * 10 + chunks);
        float[][] pixels = Enumerable.Range(0, chunks).Select(_ => Enumerable.Range(0, 784).Select(_ => (float)random.Next(1, 256)).ToArray()).ToArray();
        Complex[][] vectors = layout.Pack(pixels, 1.0 / 255);
        Assert.Equal((layout.PairCount + layout.RowsPerSegment - 1) / layout.RowsPerSegment, vectors.Length);

        // Every (output position, kernel offset) input is in exactly one real or imaginary part: no repetition per filter.
        int o = (28 - kernel) / stride + 1;
        int nonZero = vectors.Sum(v => v.Sum(z => (z.Real != 0 ? 1 : 0) + (z.Imaginary != 0 ? 1 : 0)));
        Assert.Equal(o * o * kernel * kernel * chunks, nonZero);

        var read = new bool[784];
        for (int p = 0; p < o * o; p++)
        {
            for (int r = 0; r < kernel * kernel; r++)
            {
                read[(p / o * stride + r / kernel) * 28 + p % o * stride + r % kernel] = true;
            }
        }

        float[][] back = Enumerable.Range(0, chunks).Select(_ => new float[784]).ToArray();
        layout.Unpack(vectors, 1.0 / 255, back);
        for (int e = 0; e < chunks; e++)
        {
            for (int i = 0; i < 784; i++)
            {
                Assert.Equal(read[i] ? pixels[e][i] : 0, back[e][i], 3);
            }
        }
    }

    [Fact]
    public void ThePaperShapeTakesTwoCiphertextsForAllSixteenChunks()
    {
        var layout = new PlaneLayout(new ChunkPacking(), 28, 4096, 16);
        Assert.Equal(16, layout.Positions);
        Assert.Equal(16, layout.RowsPerSegment);
        Assert.Equal(25, layout.PairCount);
        Assert.Equal(2, layout.CiphertextCount);
        Assert.Throws<ArgumentException>(() => new PlaneLayout(new ChunkPacking(), 28, 2048, 16));

        // Offsets -15..15 rows, shifted by one segment; the shift stays in place (chunk e's features in segment e - 1),
        // so no final rotation; baby chain of 4 by one row, giant step 4 rows by Horner's rule.
        ConvolutionSchedule schedule = ConvolutionSchedule.For(layout);
        Assert.Equal((16, 4, 64, 0, -1), (schedule.Unit, schedule.Baby, schedule.GiantStep, schedule.FinalStep, schedule.SegmentShift));
        Assert.Equal(15 * 256 + 3, schedule.FeatureSlot(layout, 0, 3));
        Assert.Equal([16, 64], schedule.KeySteps);
    }

    [Fact]
    public void TheChunkCnnNeedsTenGaloisKeysEachAtItsLevel()
    {
        IReadOnlyList<GaloisKeyRequest> requests = ChunkCnnRotations.KeyRequests(new ChunkPacking(), 28, 4096, 5);
        (int Step, int Level)[] rotations = [.. requests.Where(r => !r.IsConjugation).Select(r => (r.Step, r.MaxLevel))];
        Assert.Equal([(1, 3), (16, 5), (64, 5), (256, 1), (512, 1), (1024, 1), (2048, 1), (3840, 2), (3968, 2)], rotations.Order().ToArray());
        Assert.Equal(5, Assert.Single(requests, r => r.IsConjugation).MaxLevel);
        Assert.Equal(4, ChunkCnnRotations.RelinearizationLevel(5));

        // The key set made from them is what the scorer accepts, and each key is as small as its level allows.
        HeChunkKeys keys = fixture.Keys;
        Assert.All(requests, r => Assert.True(keys.GaloisKeys.Covers(r), $"{r}"));
        Assert.False(keys.GaloisKeys.Covers(GaloisKeyRequest.Rotation(1, 4)));
        Assert.Equal(4, keys.RelinearizationKey.MaxLevel);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(5)]
    public void EncryptedConvolutionMatchesThePlainConvolutionInBits(int encryptedChunks)
    {
        var (_, chunks, _) = fixture.RandomImage(new Random(40 + encryptedChunks), _ => true);
        int[] index = Enumerable.Range(0, 16).Select(c => c < encryptedChunks ? c + 1 : -(c + 1)).ToArray();
        EncryptionMode mode = encryptedChunks == 16 ? EncryptionMode.AllChunks : EncryptionMode.FeatureChunks;
        EncryptedChunkGroup group = new ChunkGroupEncryptor(fixture.Keys, fixture.Packing, mode).Encrypt(fixture.Grid, chunks, index);
        var scorer = new EncryptedChunkCnn(fixture.Weights, fixture.Keys.PublicOnly(), degreeOfParallelism: 2);
        Ciphertext? conv = null;
        scorer.Trace = (stage, ciphertext) => conv = stage == "conv" ? ciphertext : conv;
        scorer.Score(group);

        var decoder = new CkksEncoder(fixture.Parameters);
        Complex[] slots = decoder.Decode(new Decryptor(fixture.Parameters, fixture.Keys.SecretKey!).Decrypt(conv!));
        var folded = new FoldedConvolution(fixture.Weights);
        var layout = new PlaneLayout(fixture.Packing, 28, fixture.Parameters.SlotCount, encryptedChunks);
        ConvolutionSchedule schedule = ConvolutionSchedule.For(layout);
        var expectedSlots = new Complex[slots.Length];
        for (int e = 0; e < encryptedChunks; e++)
        {
            double[] expected = PlainConvolution(folded, chunks.AsSpan(e * 784, 784));
            for (int f = 0; f < expected.Length; f++)
            {
                expectedSlots[schedule.FeatureSlot(layout, e, f)] = expected[f];
            }
        }

        // Every slot counts: real parts against the plain convolution with bias, imaginary parts and the empty segments
        // against zero (the later steps rely on both). Floor: the one rescale's rounding, about 2^-16 typical, 2^-14 at worst.
        var bits = slots.Zip(expectedSlots, (actual, expected) => -Math.Log2(Math.Max(Complex.Abs(actual - expected), 1e-300))).Order().ToArray();
        double min = bits[0], median = bits[bits.Length / 2];
        Assert.True(min >= 13 && median >= 15.5, $"convolution precision: min {min:F1} bits, median {median:F1} bits");
    }

    /// <summary>The convolution with bias, before the square, of one chunk (pixels 0-255), in the network's feature order.</summary>
    private static double[] PlainConvolution(FoldedConvolution folded, ReadOnlySpan<float> chunk)
    {
        var weights = folded.Weights;
        int k = weights.KernelSize, s = weights.Stride, o = weights.ConvOutputSize;
        var features = new double[weights.Channels * o * o];
        for (int c = 0; c < weights.Channels; c++)
        {
            for (int p = 0; p < o * o; p++)
            {
                double value = folded.Bias[c];
                for (int r = 0; r < k * k; r++)
                {
                    value += folded.Kernel[c * k * k + r] * chunk[(p / o * s + r / k) * 28 + p % o * s + r % k] / ChunkGroupEncryptor.PixelRange;
                }

                features[c * o * o + p] = value;
            }
        }

        return features;
    }
}
