namespace MLNet.HeChunk.Encryption;

/// <summary>
/// Slot positions of one image's encrypted chunks: each encrypted chunk e takes a segment of SegmentLength slots,
/// the segments of all encrypted chunks form a block (rounded up to a power of two), and each ciphertext holds as
/// many planes as blocks fit in its slots (a power of two). With 16 encrypted chunks of 256 features in 4096 slots that is one plane
/// per ciphertext (49 ciphertexts); with 4 encrypted chunks, 4 planes per ciphertext (13 ciphertexts). Fewer feature
/// chunks therefore mean fewer ciphertexts to encrypt and send; the server pays log2(planes per ciphertext) extra
/// rotations to add the planes of one ciphertext together.
/// </summary>
internal sealed class PlaneLayout
{
    public PlaneLayout(ChunkPacking packing, int chunkSide, int slotCount, int encryptedChunks)
    {
        packing.Validate(chunkSide);
        Packing = packing;
        ChunkSide = chunkSide;
        SlotCount = slotCount;
        EncryptedChunks = encryptedChunks;
        ConvOutputSize = packing.ConvOutputSize(chunkSide);
        FeatureLength = packing.FeatureLength(chunkSide);
        SegmentLength = packing.SegmentLength(chunkSide);
        BlockLength = SegmentLength * (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, encryptedChunks));
        if (BlockLength > slotCount)
        {
            throw new ArgumentException(
                $"{encryptedChunks} encrypted chunks of {FeatureLength} convolution outputs need {BlockLength} slots, more than the " +
                $"{slotCount} a ciphertext has; use a larger ring degree or larger chunks");
        }

        // Every block of a ciphertext is used (unused planes stay zero) so that summing all blocks with
        // log2(blocks) rotations leaves identical copies in every block, which the later steps rely on.
        PlanesPerCiphertext = slotCount / BlockLength;
        CiphertextCount = encryptedChunks == 0 ? 0 : (packing.PlaneCount + PlanesPerCiphertext - 1) / PlanesPerCiphertext;
    }

    public ChunkPacking Packing { get; }

    public int ChunkSide { get; }

    public int SlotCount { get; }

    public int EncryptedChunks { get; }

    public int ConvOutputSize { get; }

    public int FeatureLength { get; }

    public int SegmentLength { get; }

    public int BlockLength { get; }

    public int PlanesPerCiphertext { get; }

    public int CiphertextCount { get; }

    public int CiphertextOfPlane(int plane) => plane / PlanesPerCiphertext;

    public int BlockOfPlane(int plane) => plane % PlanesPerCiphertext;

    /// <summary>Feature index of (channel, y, x): channel-major, as the network flattens its convolution output.</summary>
    public int Feature(int channel, int y, int x) => (channel * ConvOutputSize + y) * ConvOutputSize + x;

    /// <summary>Slot of a feature of encrypted chunk <paramref name="ordinal"/> inside block <paramref name="block"/>.</summary>
    public int Slot(int block, int ordinal, int feature) => block * BlockLength + ordinal * SegmentLength + feature;

    /// <summary>
    /// The slot vectors of every ciphertext for the given chunks' pixels (already scaled to [0, 1]).
    /// <paramref name="chunkPixels"/>[e] is the row-major pixel block of the e-th encrypted chunk.
    /// </summary>
    public double[][] Pack(IReadOnlyList<float[]> chunkPixels, double pixelScale)
    {
        var vectors = new double[CiphertextCount][];
        if (CiphertextCount == 0)
        {
            return vectors;
        }

        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = new double[SlotCount];
        }

        int k = Packing.KernelSize;
        int s = Packing.Stride;
        for (int plane = 0; plane < Packing.PlaneCount; plane++)
        {
            int dy = plane / k, dx = plane % k;
            double[] target = vectors[CiphertextOfPlane(plane)];
            int block = BlockOfPlane(plane);
            for (int e = 0; e < chunkPixels.Count; e++)
            {
                float[] pixels = chunkPixels[e];
                for (int y = 0; y < ConvOutputSize; y++)
                {
                    for (int x = 0; x < ConvOutputSize; x++)
                    {
                        double value = pixels[(y * s + dy) * ChunkSide + x * s + dx] * pixelScale;
                        for (int c = 0; c < Packing.Channels; c++)
                        {
                            target[Slot(block, e, Feature(c, y, x))] = value;
                        }
                    }
                }
            }
        }

        return vectors;
    }
}
