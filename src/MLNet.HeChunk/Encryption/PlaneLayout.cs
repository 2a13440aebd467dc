using System.Numerics;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// Slot positions of one image's encrypted chunks, each convolution input sent once. The convolution's im2col
/// "planes" (plane r = kernel offset (dy, dx) holds, for every output position, the pixel under that offset) go in
/// pairs into the real and imaginary parts of complex slots: pair p = planes 2p and 2p+1. Encrypted chunk e owns
/// the segment of SegmentLength slots starting at e * SegmentLength (the slot segment its convolution output later
/// occupies); inside it, row j of Positions slots holds pair p = m * RowsPerSegment + j of ciphertext m, one slot
/// per output position. With the paper's shape (7x7 kernel, stride 7, 16 filters, 28x28 chunks) that is 25 pairs in
/// rows of 16 positions, 16 rows per 256-slot segment: two ciphertexts carry all 16 chunks, 12,544 pixels in
/// 2 x 4096 complex slots, where the earlier packing sent 49 ciphertexts (each pixel repeated for every filter).
/// The server turns rows into filters with rotations by multiples of Positions (<see cref="Scoring.EncryptedConvolution"/>).
/// </summary>
internal sealed class PlaneLayout
{
    public PlaneLayout(ChunkPacking packing, int chunkSide, int slotCount, int encryptedChunks)
    {
        packing.Validate(chunkSide, slotCount);
        Packing = packing;
        ChunkSide = chunkSide;
        SlotCount = slotCount;
        EncryptedChunks = encryptedChunks;
        ConvOutputSize = packing.ConvOutputSize(chunkSide);
        Positions = ConvOutputSize * ConvOutputSize;
        FeatureLength = packing.FeatureLength(chunkSide);
        SegmentLength = packing.SegmentLength(chunkSide);
        SegmentCount = slotCount / SegmentLength;
        if (encryptedChunks > SegmentCount)
        {
            throw new ArgumentException(
                $"{encryptedChunks} encrypted chunks of {FeatureLength} convolution outputs need {encryptedChunks} segments of {SegmentLength} slots, more than the " +
                $"{slotCount} slots of a ciphertext hold; use a larger ring degree or larger chunks");
        }

        RowsPerSegment = SegmentLength / Positions;
        PairCount = (packing.PlaneCount + 1) / 2;
        CiphertextCount = encryptedChunks == 0 ? 0 : (PairCount + RowsPerSegment - 1) / RowsPerSegment;
    }

    public ChunkPacking Packing { get; }

    public int ChunkSide { get; }

    public int SlotCount { get; }

    public int EncryptedChunks { get; }

    public int ConvOutputSize { get; }

    /// <summary>Convolution output positions per chunk (ConvOutputSize squared): the length of a row.</summary>
    public int Positions { get; }

    public int FeatureLength { get; }

    public int SegmentLength { get; }

    /// <summary>Segments per ciphertext: the most chunks one image can encrypt.</summary>
    public int SegmentCount { get; }

    /// <summary>Rows of <see cref="Positions"/> slots in a segment: plane pairs per chunk and ciphertext.</summary>
    public int RowsPerSegment { get; }

    /// <summary>Plane pairs: half the kernel's offsets, rounded up (the last pair's imaginary part may be empty).</summary>
    public int PairCount { get; }

    public int CiphertextCount { get; }

    /// <summary>Ciphertext and row of plane pair <paramref name="pair"/>.</summary>
    public (int Ciphertext, int Row) PlaceOfPair(int pair) => (pair / RowsPerSegment, pair % RowsPerSegment);

    /// <summary>Feature index of (channel, y, x): channel-major, as the network flattens its convolution output.</summary>
    public int Feature(int channel, int y, int x) => (channel * ConvOutputSize + y) * ConvOutputSize + x;

    /// <summary>Slot of row <paramref name="row"/>, output position <paramref name="position"/> in the segment of encrypted chunk <paramref name="ordinal"/>.</summary>
    public int InputSlot(int ordinal, int row, int position) => ordinal * SegmentLength + row * Positions + position;

    /// <summary>
    /// The complex slot vectors of every ciphertext for the given chunks' pixels: <paramref name="chunkPixels"/>[e] is the
    /// row-major pixel block of the e-th encrypted chunk, multiplied by <paramref name="pixelScale"/>.
    /// </summary>
    public Complex[][] Pack(IReadOnlyList<float[]> chunkPixels, double pixelScale)
    {
        var vectors = new Complex[CiphertextCount][];
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = new Complex[SlotCount];
        }

        for (int e = 0; e < chunkPixels.Count; e++)
        {
            float[] pixels = chunkPixels[e];
            ForEachInput((pair, position, plane, pixel) =>
            {
                (int m, int row) = PlaceOfPair(pair);
                ref Complex slot = ref vectors[m][InputSlot(e, row, position)];
                double value = pixels[pixel] * pixelScale;
                slot = plane % 2 == 0 ? new Complex(value, slot.Imaginary) : new Complex(slot.Real, value);
            });
        }

        return vectors;
    }

    /// <summary>
    /// The inverse of <see cref="Pack"/> for decrypted slots: writes every pixel the convolution reads (all of them
    /// when the stride equals the kernel) into <paramref name="chunks"/>[e], divided by <paramref name="pixelScale"/>.
    /// </summary>
    public void Unpack(IReadOnlyList<Complex[]> vectors, double pixelScale, IReadOnlyList<float[]> chunks)
    {
        for (int e = 0; e < chunks.Count; e++)
        {
            float[] pixels = chunks[e];
            ForEachInput((pair, position, plane, pixel) =>
            {
                (int m, int row) = PlaceOfPair(pair);
                Complex slot = vectors[m][InputSlot(e, row, position)];
                pixels[pixel] = (float)((plane % 2 == 0 ? slot.Real : slot.Imaginary) / pixelScale);
            });
        }
    }

    /// <summary>Calls <paramref name="visit"/>(pair, position, plane, pixel index in the chunk) for every convolution input.</summary>
    private void ForEachInput(Action<int, int, int, int> visit)
    {
        int k = Packing.KernelSize, s = Packing.Stride;
        for (int plane = 0; plane < Packing.PlaneCount; plane++)
        {
            int dy = plane / k, dx = plane % k;
            for (int y = 0; y < ConvOutputSize; y++)
            {
                for (int x = 0; x < ConvOutputSize; x++)
                {
                    visit(plane / 2, y * ConvOutputSize + x, plane, (y * s + dy) * ChunkSide + x * s + dx);
                }
            }
        }
    }
}
