using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MLNet.HeChunk.Cnn;

/// <summary>
/// Versioned, checked byte format for <see cref="ChunkCnnWeights"/>.
/// </summary>
/// <remarks>
/// Layout (all integers and doubles little-endian):
/// <code>
/// offset size  field
///      0    4  magic "HCCW" (ASCII)
///      4    4  format version (int32, currently 3)
///      8    4  payload length P in bytes (int32)
///     12   32  SHA-256 of the payload
///     44    P  payload:
///              int32  ImageHeight, ImageWidth, ChunkSize, KernelSize, Stride, Channels, HiddenSize, ClassCount
///              double InputScale, InputOffset, LogitScale
///              double ConvWeights[Channels*KernelSize²], ConvBias[Channels],
///                     Fc1Weights[HiddenSize*FeatureLength], Fc1Bias[HiddenSize],
///                     Fc2Weights[ClassCount*HiddenSize], Fc2Bias[ClassCount]
///              byte   1 if bounds follow, else 0
///              double Input, ConvOutput, ConvSquared, Fc1Output, Fc1Squared, PooledHidden, Logits (if flagged)
///              byte   1 if a descriptor head follows, else 0
///              int32  InputCount, HiddenSize (if flagged; its class count is ClassCount)
///              double HiddenBound, Fc1Weights[HiddenSize*InputCount], Fc1Bias[HiddenSize],
///                     Fc2Weights[ClassCount*HiddenSize], Fc2Bias[ClassCount] (if flagged)
/// </code>
/// The header, the length and the hash are checked before the payload is parsed, and the
/// geometry is checked before any array is allocated, so corrupt or truncated bytes fail with an
/// <see cref="InvalidDataException"/> that says what is wrong.
/// </remarks>
public static class ChunkCnnWeightsSerializer
{
    /// <summary>The current format version.</summary>
    /// <remarks>
    /// Version 1 described a network that combined the chunks before FC1 (the mean of their convolution features);
    /// version 2 applies FC1 and its square per chunk and combines after them. The numbers of a version 1 record
    /// would be read without error but compute something else, so version 1 is refused. Version 3 adds the optional
    /// descriptor head; version 2 records (no head) are still read.
    /// </remarks>
    public const int FormatVersion = 3;

    private const int HeaderLength = 44;
    private const int IntFieldCount = 8;
    private const int DoubleFieldCount = 3;

    // Upper bound on any array: far above any sensible chunk CNN, small enough that a corrupt
    // geometry cannot make us allocate gigabytes.
    private const long MaxArrayLength = 1L << 24;

    private static ReadOnlySpan<byte> Magic => "HCCW"u8;

    /// <summary>Writes the weights to a new byte array.</summary>
    public static byte[] Serialize(ChunkCnnWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        double[][] arrays = Arrays(weights);
        DescriptorHead? head = weights.DescriptorHead;
        int payloadLength = checked(
            IntFieldCount * 4 + DoubleFieldCount * 8 + arrays.Sum(a => a.Length) * 8 + 1 +
            (weights.Bounds is null ? 0 : ChunkCnnActivationBounds.ValueCount * 8) + 1 +
            (head is null ? 0 : 8 + 8 * (1 + HeadArrays(head).Sum(a => a.Length))));
        byte[] bytes = new byte[HeaderLength + payloadLength];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), payloadLength);

        var w = new SpanWriter(bytes.AsSpan(HeaderLength));
        w.Int(weights.ImageHeight);
        w.Int(weights.ImageWidth);
        w.Int(weights.ChunkSize);
        w.Int(weights.KernelSize);
        w.Int(weights.Stride);
        w.Int(weights.Channels);
        w.Int(weights.HiddenSize);
        w.Int(weights.ClassCount);
        w.Double(weights.InputScale);
        w.Double(weights.InputOffset);
        w.Double(weights.LogitScale);
        foreach (double[] a in arrays)
        {
            foreach (double v in a)
                w.Double(v);
        }
        w.Byte(weights.Bounds is null ? (byte)0 : (byte)1);
        if (weights.Bounds is not null)
        {
            foreach (double v in weights.Bounds.ToArray())
                w.Double(v);
        }
        w.Byte(head is null ? (byte)0 : (byte)1);
        if (head is not null)
        {
            w.Int(head.InputCount);
            w.Int(head.HiddenSize);
            w.Double(head.HiddenBound);
            foreach (double[] a in HeadArrays(head))
            {
                foreach (double v in a)
                    w.Double(v);
            }
        }

        SHA256.HashData(bytes.AsSpan(HeaderLength), bytes.AsSpan(12, 32));
        return bytes;
    }

    /// <summary>Reads weights written by <see cref="Serialize"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid weights record of a known version.</exception>
    public static ChunkCnnWeights Deserialize(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
            throw new InvalidDataException($"Chunk CNN weights: {bytes.Length} bytes is shorter than the {HeaderLength}-byte header.");
        if (!bytes[..4].SequenceEqual(Magic))
            throw new InvalidDataException("Chunk CNN weights: bad magic number (expected \"HCCW\").");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (version == 1)
            throw new InvalidDataException("Chunk CNN weights: format version 1 holds a model that combines the chunks before FC1, which this library no longer evaluates; retrain the model.");
        if (version is not (2 or FormatVersion))
            throw new InvalidDataException($"Chunk CNN weights: format version {version} is not supported (this reader knows {FormatVersion}).");
        int payloadLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]);
        if (payloadLength < 0 || payloadLength != bytes.Length - HeaderLength)
            throw new InvalidDataException(
                $"Chunk CNN weights: header announces {payloadLength} payload bytes but {bytes.Length - HeaderLength} follow (truncated or padded).");
        ReadOnlySpan<byte> payload = bytes[HeaderLength..];
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(payload, hash);
        if (!hash.SequenceEqual(bytes.Slice(12, 32)))
            throw new InvalidDataException("Chunk CNN weights: checksum mismatch (the bytes are corrupt).");

        var r = new SpanReader(payload);
        int imageHeight = r.Int(), imageWidth = r.Int(), chunkSize = r.Int(), kernelSize = r.Int();
        int stride = r.Int(), channels = r.Int(), hiddenSize = r.Int(), classCount = r.Int();
        double inputScale = r.Double(), inputOffset = r.Double(), logitScale = r.Double();
        foreach (int d in (ReadOnlySpan<int>)[imageHeight, imageWidth, chunkSize, kernelSize, stride, channels, hiddenSize, classCount])
        {
            if (d <= 0 || d > MaxArrayLength)
                throw new InvalidDataException($"Chunk CNN weights: dimension {d} is out of range.");
        }
        if (chunkSize < kernelSize)
            throw new InvalidDataException($"Chunk CNN weights: kernel {kernelSize} is larger than chunk {chunkSize}.");
        long convOut = (chunkSize - kernelSize) / stride + 1;
        long featureLength = channels * convOut * convOut;
        long[] lengths =
        [
            (long)channels * kernelSize * kernelSize, channels,
            hiddenSize * featureLength, hiddenSize,
            (long)classCount * hiddenSize, classCount,
        ];
        long expected = IntFieldCount * 4 + DoubleFieldCount * 8 + lengths.Sum() * 8 + 1;
        if (lengths.Any(l => l > MaxArrayLength) || expected > payloadLength)
            throw new InvalidDataException("Chunk CNN weights: the geometry does not match the payload length.");
        var arrays = new double[lengths.Length][];
        for (int i = 0; i < lengths.Length; i++)
        {
            arrays[i] = new double[lengths[i]];
            for (int j = 0; j < arrays[i].Length; j++)
                arrays[i][j] = r.Double();
        }
        byte hasBounds = r.Byte();
        ChunkCnnActivationBounds? bounds = null;
        if (hasBounds == 1)
        {
            if (r.Remaining < ChunkCnnActivationBounds.ValueCount * 8)
                throw new InvalidDataException("Chunk CNN weights: the bounds record has the wrong length.");
            bounds = new ChunkCnnActivationBounds(r.Double(), r.Double(), r.Double(), r.Double(), r.Double(), r.Double(), r.Double());
        }
        else if (hasBounds != 0)
        {
            throw new InvalidDataException($"Chunk CNN weights: bounds flag {hasBounds} is neither 0 nor 1.");
        }
        try
        {
            DescriptorHead? head = version >= 3 ? ReadHead(ref r, classCount) : null;
            if (r.Remaining != 0)
                throw new InvalidDataException($"Chunk CNN weights: {r.Remaining} unexpected trailing payload bytes.");
            return new ChunkCnnWeights(
                imageHeight, imageWidth, chunkSize, kernelSize, stride, channels, hiddenSize, classCount,
                inputScale, inputOffset, arrays[0], arrays[1], arrays[2], arrays[3], arrays[4], arrays[5], logitScale, bounds, head);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Chunk CNN weights: {e.Message}", e);
        }
    }

    private static DescriptorHead? ReadHead(ref SpanReader r, int classCount)
    {
        byte flag = r.Byte();
        if (flag == 0)
            return null;
        if (flag != 1)
            throw new InvalidDataException($"Chunk CNN weights: descriptor head flag {flag} is neither 0 nor 1.");
        int inputs = r.Int(), hidden = r.Int();
        if (inputs <= 0 || hidden <= 0 || (long)inputs * hidden > MaxArrayLength)
            throw new InvalidDataException($"Chunk CNN weights: descriptor head sizes {inputs} -> {hidden} are out of range.");
        long[] lengths = [(long)hidden * inputs, hidden, (long)classCount * hidden, classCount];
        if (8 + lengths.Sum() * 8 != r.Remaining)
            throw new InvalidDataException("Chunk CNN weights: the descriptor head does not match the payload length.");
        double bound = r.Double();
        var arrays = lengths.Select(l => new double[l]).ToArray();
        foreach (double[] a in arrays)
        {
            for (int j = 0; j < a.Length; j++)
                a[j] = r.Double();
        }

        return new DescriptorHead(inputs, hidden, classCount, arrays[0], arrays[1], arrays[2], arrays[3], bound);
    }

    private static double[][] HeadArrays(DescriptorHead h) => [h.Fc1Weights, h.Fc1Bias, h.Fc2Weights, h.Fc2Bias];

    private static double[][] Arrays(ChunkCnnWeights w) =>
        [w.ConvWeights, w.ConvBias, w.Fc1Weights, w.Fc1Bias, w.Fc2Weights, w.Fc2Bias];

    private ref struct SpanWriter(Span<byte> span)
    {
        private readonly Span<byte> _span = span;
        private int _at;

        public void Int(int v) { BinaryPrimitives.WriteInt32LittleEndian(_span[_at..], v); _at += 4; }

        public void Double(double v) { BinaryPrimitives.WriteDoubleLittleEndian(_span[_at..], v); _at += 8; }

        public void Byte(byte v) { _span[_at] = v; _at += 1; }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> _span = span;
        private int _at;

        public readonly int Remaining => _span.Length - _at;

        public int Int() { Need(4); int v = BinaryPrimitives.ReadInt32LittleEndian(_span[_at..]); _at += 4; return v; }

        public double Double() { Need(8); double v = BinaryPrimitives.ReadDoubleLittleEndian(_span[_at..]); _at += 8; return v; }

        public byte Byte() { Need(1); return _span[_at++]; }

        private readonly void Need(int n)
        {
            if (Remaining < n)
                throw new InvalidDataException("Chunk CNN weights: the payload ends early.");
        }
    }
}
