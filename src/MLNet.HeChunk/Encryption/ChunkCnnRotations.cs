namespace MLNet.HeChunk.Encryption;

/// <summary>
/// The slot rotations the encrypted chunk CNN performs, so that a client generates Galois keys for exactly those
/// steps and no others (each key is as large as a relinearization key).
/// </summary>
public static class ChunkCnnRotations
{
    /// <summary>Baby steps of the baby-step/giant-step matrix-vector product for a segment of this length.</summary>
    public static int BabySteps(int segmentLength)
        => 1 << (int)Math.Ceiling(System.Numerics.BitOperations.Log2((uint)segmentLength) / 2.0);

    /// <summary>
    /// Rotation steps for slot count <paramref name="slotCount"/> and chunks of side <paramref name="chunkSide"/> under
    /// <paramref name="packing"/>: segment multiples for summing planes and chunks, the baby and giant steps of the two
    /// dense layers, and minus one segment (written as <c>slotCount - segment</c>) to bring back the wrapped diagonals
    /// of the per-chunk FC1.
    /// </summary>
    public static IReadOnlyList<int> Steps(ChunkPacking packing, int chunkSide, int slotCount)
    {
        ArgumentNullException.ThrowIfNull(packing);
        packing.Validate(chunkSide);
        int segment = packing.SegmentLength(chunkSide);
        var steps = new SortedSet<int>();
        for (int stride = segment; stride < slotCount; stride <<= 1)
        {
            steps.Add(stride);
        }

        int baby = BabySteps(segment);
        for (int b = 1; b < baby && b < segment; b++)
        {
            steps.Add(b);
        }

        for (int g = baby; g < segment; g += baby)
        {
            steps.Add(g);
        }

        if (segment < slotCount)
        {
            steps.Add(slotCount - segment);
        }

        return [.. steps];
    }
}
