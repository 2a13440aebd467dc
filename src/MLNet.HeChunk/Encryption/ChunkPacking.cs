namespace MLNet.HeChunk.Encryption;

/// <summary>
/// The convolution the client packs its chunk pixels for, chosen together with the encrypted chunk CNN: the client
/// sends the convolution's im2col "planes" (plane r = (dy, dx) of the K x K kernel holds, for every encrypted chunk and
/// output position (y, x), the pixel at (y*Stride + dy, x*Stride + dx) of that chunk), each value once, two planes to a
/// complex slot (<see cref="PlaneLayout"/>); the server turns them into the Channels filters' outputs with rotations
/// and plaintext products. See docs/encrypted-cnn.md.
/// </summary>
/// <param name="KernelSize">Side of the convolution kernel (7 in the paper).</param>
/// <param name="Stride">Convolution stride in both directions (default 7, the trained chunk CNN's default).</param>
/// <param name="Channels">Number of convolution filters (default 16, as the trained default).</param>
public sealed record ChunkPacking(int KernelSize = 7, int Stride = 7, int Channels = 16)
{
    /// <summary>Multiplicative depth the encrypted chunk CNN consumes: convolution, square, FC1, square, FC2.</summary>
    public const int RequiredDepth = 5;

    /// <summary>The number of planes (and of weights per filter): KernelSize squared.</summary>
    public int PlaneCount => KernelSize * KernelSize;

    /// <summary>Convolution output positions per side for a square chunk of <paramref name="chunkSide"/> pixels.</summary>
    public int ConvOutputSize(int chunkSide) => (chunkSide - KernelSize) / Stride + 1;

    /// <summary>Values per chunk after the convolution: Channels * ConvOutputSize^2 (256 for the paper's shape).</summary>
    public int FeatureLength(int chunkSide) => Channels * ConvOutputSize(chunkSide) * ConvOutputSize(chunkSide);

    /// <summary>The feature length rounded up to a power of two: the slot segment one chunk occupies.</summary>
    public int SegmentLength(int chunkSide) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)FeatureLength(chunkSide));

    /// <summary>Throws <see cref="ArgumentException"/> when the packing cannot serve chunks of this side.</summary>
    public void Validate(int chunkSide)
    {
        if (KernelSize < 1 || Stride < 1 || Channels < 1)
        {
            throw new ArgumentException($"packing {this}: kernel, stride and channels must be positive");
        }

        if (KernelSize > chunkSide)
        {
            throw new ArgumentException($"packing {this}: the {KernelSize}x{KernelSize} kernel is larger than a {chunkSide}x{chunkSide} chunk");
        }

        // Bounds any later int arithmetic (FeatureLength, SegmentLength) before it can overflow.
        long outputs = (long)ConvOutputSize(chunkSide) * ConvOutputSize(chunkSide);
        if (Channels > MaxSlots || outputs * Channels > MaxSlots)
        {
            throw new ArgumentException($"packing {this}: {Channels} channels x {outputs} convolution outputs exceed {MaxSlots} slots, more than any ring holds");
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when the packing cannot serve chunks of this side, or when one chunk's
    /// convolution outputs do not fit the <paramref name="slotCount"/> slots of a ciphertext. Checked before keys or
    /// ciphertexts are allocated, so an absurd option (a million channels) fails at once.
    /// </summary>
    public void Validate(int chunkSide, int slotCount)
    {
        Validate(chunkSide);
        if (SegmentLength(chunkSide) > slotCount)
        {
            throw new ArgumentException(
                $"packing {this}: one {chunkSide}x{chunkSide} chunk needs a {SegmentLength(chunkSide)}-slot segment ({FeatureLength(chunkSide)} convolution outputs), " +
                $"more than the {slotCount} slots of a ciphertext; use fewer channels, a larger stride or a larger ring");
        }
    }

    /// <summary>The largest slot count of any supported ring (N = 2^17).</summary>
    private const int MaxSlots = 1 << 16;
}
