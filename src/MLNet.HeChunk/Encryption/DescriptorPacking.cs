namespace MLNet.HeChunk.Encryption;

/// <summary>
/// How the texture descriptors of an image travel: one ciphertext whose slots hold the descriptor vector, zero-padded
/// to a power-of-two segment and repeated across all slots, at the level the descriptor head consumes.
/// </summary>
/// <remarks>
/// Repeating the vector makes every rotation of the whole slot vector a cyclic rotation of each segment, so the
/// server's matrix products (diagonal method) need no masking and use the rotation steps the chunk CNN already has
/// keys for (1 and 16). The descriptors are sent as computed (no model-specific scaling): the
/// model's standardization is folded into its first layer on the server.
/// </remarks>
public static class DescriptorPacking
{
    /// <summary>Levels the descriptor head consumes (dense, square, dense): the ciphertext is encrypted at this level and no higher.</summary>
    public const int RequiredDepth = 3;

    /// <summary>The segment length for <paramref name="count"/> descriptors: the next power of two.</summary>
    public static int SegmentLength(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count);
    }

    /// <summary>The slot vector for <paramref name="descriptors"/>: the vector, zero-padded to its segment, repeated.</summary>
    /// <exception cref="ArgumentException">More descriptors than slots, or a value that is not finite.</exception>
    public static double[] Pack(ReadOnlySpan<float> descriptors, int slots)
    {
        int segment = SegmentLength(descriptors.Length);
        if (segment > slots)
            throw new ArgumentException($"{descriptors.Length} descriptors do not fit {slots} slots");
        var vector = new double[slots];
        for (int i = 0; i < descriptors.Length; i++)
        {
            if (!float.IsFinite(descriptors[i]))
                throw new ArgumentException($"descriptor {i} is not finite ({descriptors[i]})");
            for (int at = i; at < slots; at += segment)
                vector[at] = descriptors[i];
        }

        return vector;
    }
}
