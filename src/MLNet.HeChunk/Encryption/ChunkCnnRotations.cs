using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// The Galois keys the encrypted chunk CNN (with or without its descriptor head) needs, each for the highest level
/// at which the circuit uses it, so that a client generates exactly those keys and each no larger than it must be
/// (a key for level l holds l+1 digits over l+2 primes: a level-1 key is about a sixth of a level-5 one).
/// </summary>
/// <remarks>
/// For ciphertexts made at level L (<see cref="ChunkPacking.RequiredDepth"/>) and the paper's shape (segment 256,
/// 16 baby steps): the convolution's chain of row rotations (16), its giant step (64) and the conjugation at L; the
/// dense layers' baby chain (1) at L-2, their giant step (16, covered by the level-L key) and minus one segment (3840,
/// FC1's wrapped diagonals) at L-3; the sum over chunks (256, 512, 1024, 2048) at L-4. The descriptor head
/// (ciphertext at level 3) uses the same steps. The relinearization key is needed from level L-1 down.
/// </remarks>
public static class ChunkCnnRotations
{
    /// <summary>Baby steps of the baby-step/giant-step matrix-vector product for a segment of this length.</summary>
    public static int BabySteps(int segmentLength)
        => 1 << (int)Math.Ceiling(System.Numerics.BitOperations.Log2((uint)segmentLength) / 2.0);

    /// <summary>
    /// The Galois keys (rotation step or conjugation, and the highest level each is used at) for slot count
    /// <paramref name="slotCount"/>, chunks of side <paramref name="chunkSide"/> under <paramref name="packing"/>, and
    /// parameters whose top level is <paramref name="maxLevel"/>.
    /// </summary>
    public static IReadOnlyList<GaloisKeyRequest> KeyRequests(ChunkPacking packing, int chunkSide, int slotCount, int maxLevel)
    {
        ArgumentNullException.ThrowIfNull(packing);
        packing.Validate(chunkSide, slotCount);
        int top = Math.Min(ChunkPacking.RequiredDepth, maxLevel);
        var levels = new SortedDictionary<int, int>();
        void Use(int step, int level)
        {
            step = ((step % slotCount) + slotCount) % slotCount;
            if (step != 0)
            {
                levels[step] = Math.Max(Math.Max(level, 0), levels.GetValueOrDefault(step, 0));
            }
        }

        // Convolution.
        var layout = new PlaneLayout(packing, chunkSide, slotCount, 1);
        ConvolutionSchedule convolution = ConvolutionSchedule.For(layout);
        foreach (int step in convolution.KeySteps)
        {
            Use(step, top);
        }

        // FC1 (input at L-2: baby tree there, giant groups and the wrapped part one level down), the sum over chunks
        // (L-4), FC2 (L-4, giant L-5).
        int segment = layout.SegmentLength;
        AddDense(Use, segment, top - 2);
        if (segment < slotCount)
        {
            // FC1's wrapped terms come back by minus a segment, or by minus half a segment when they all sit in the upper
            // half of the giant groups (hidden units at most half the segment: the default 128 of 256).
            Use(slotCount - segment, top - 3);
            int baby = BabySteps(segment);
            int half = segment / baby / 2 * baby;
            if (half > 0)
            {
                Use(slotCount - segment + half, top - 3);
            }
        }

        for (int stride = segment; stride < slotCount; stride <<= 1)
        {
            Use(stride, top - 4);
        }

        AddDense(Use, segment, top - 4);

        // The descriptor head's two dense layers on its 128-slot segment (the default head; a larger head needs a
        // larger baby tree, which the scorer reports by step).
        int head = Math.Min(DescriptorPacking.RequiredDepth, maxLevel);
        int headSegment = Math.Min(segment, 128);
        AddDense(Use, headSegment, head);
        AddDense(Use, headSegment, head - 2);

        var requests = levels.Select(pair => GaloisKeyRequest.Rotation(pair.Key, pair.Value)).ToList();
        requests.Add(GaloisKeyRequest.Conjugation(top));
        return requests;
    }

    /// <summary>The highest level at which the encrypted chunk CNN relinearizes (its first square).</summary>
    public static int RelinearizationLevel(int maxLevel) => Math.Max(0, Math.Min(ChunkPacking.RequiredDepth, maxLevel) - 1);

    /// <summary>The rotation steps of <see cref="KeyRequests"/> (without the conjugation), ascending.</summary>
    public static IReadOnlyList<int> Steps(ChunkPacking packing, int chunkSide, int slotCount, int maxLevel = ChunkPacking.RequiredDepth) =>
        [.. KeyRequests(packing, chunkSide, slotCount, maxLevel).Where(r => !r.IsConjugation).Select(r => r.Step)];

    /// <summary>A dense layer at <paramref name="level"/>: the baby chain (step 1) there, the giant step one level down.</summary>
    private static void AddDense(Action<int, int> use, int segment, int level)
    {
        int baby = BabySteps(segment);
        if (Math.Min(baby, segment) > 1)
        {
            use(1, level);
        }

        if (baby < segment)
        {
            use(baby, level - 1);
        }
    }
}
