using System.Buffers.Binary;
using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>
/// Sequential little-endian reads from a stream for the deserializer. Every way the data can be short or out of range
/// becomes a <see cref="CkksFormatException"/> naming what was being read; it counts the bytes consumed so the caller
/// can check them against the declared payload length. It never reads past what it is asked for, so several objects
/// can follow each other in one stream.
/// </summary>
internal sealed class FormatReader
{
    private readonly Stream _stream;
    private readonly byte[] _scratch = new byte[8];
    private byte[] _rowBuffer = [];

    public FormatReader(Stream stream) => _stream = stream;

    /// <summary>Bytes consumed so far.</summary>
    public long Consumed { get; private set; }

    public void ReadExactly(Span<byte> destination, string what)
    {
        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException e)
        {
            throw new CkksFormatException($"the data ends early, while reading {what} (truncated input)", e);
        }

        Consumed += destination.Length;
    }

    public byte ReadByte(string what)
    {
        ReadExactly(_scratch.AsSpan(0, 1), what);
        return _scratch[0];
    }

    public ushort ReadUInt16(string what)
    {
        ReadExactly(_scratch.AsSpan(0, 2), what);
        return BinaryPrimitives.ReadUInt16LittleEndian(_scratch);
    }

    public uint ReadUInt32(string what)
    {
        ReadExactly(_scratch.AsSpan(0, 4), what);
        return BinaryPrimitives.ReadUInt32LittleEndian(_scratch);
    }

    public ulong ReadUInt64(string what)
    {
        ReadExactly(_scratch.AsSpan(0, 8), what);
        return BinaryPrimitives.ReadUInt64LittleEndian(_scratch);
    }

    public double ReadDouble(string what) => BitConverter.UInt64BitsToDouble(ReadUInt64(what));

    public byte[] ReadSeed(string what)
    {
        var seed = new byte[UniformSampler.SeedLength];
        ReadExactly(seed, what);
        return seed;
    }

    /// <summary>
    /// Reads one bit-packed row of residues modulo <paramref name="modulus"/> into <paramref name="destination"/>,
    /// refusing any residue not below the prime (arithmetic assumes reduced inputs; an unreduced one would silently
    /// corrupt every result) and nonzero padding bits.
    /// </summary>
    public void ReadResidues(Span<ulong> destination, Modulus modulus, string what)
    {
        int length = checked((int)BitPacker.PackedLength(destination.Length, modulus.BitCount));
        if (_rowBuffer.Length < length)
        {
            _rowBuffer = new byte[length];
        }

        Span<byte> packed = _rowBuffer.AsSpan(0, length);
        ReadExactly(packed, what);
        int bad = BitPacker.Unpack(packed, modulus.BitCount, modulus.Value, destination);
        if (bad == destination.Length)
        {
            throw new CkksFormatException($"{what} has nonzero padding bits after its last residue");
        }

        if (bad >= 0)
        {
            throw new CkksFormatException($"{what}: residue {bad} is not below its prime {modulus.Value}");
        }
    }
}
