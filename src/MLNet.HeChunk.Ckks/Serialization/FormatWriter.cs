using System.Buffers.Binary;
using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>
/// Sequential little-endian writes to a stream for the serializer, counting the bytes written so the serializer can
/// check them against the payload length it announced in the header.
/// </summary>
internal sealed class FormatWriter
{
    private readonly Stream _stream;
    private readonly byte[] _scratch = new byte[8];
    private byte[] _rowBuffer = [];

    public FormatWriter(Stream stream) => _stream = stream;

    /// <summary>Bytes written so far.</summary>
    public long Written { get; private set; }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        _stream.Write(bytes);
        Written += bytes.Length;
    }

    public void WriteByte(byte value)
    {
        _scratch[0] = value;
        WriteBytes(_scratch.AsSpan(0, 1));
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_scratch, value);
        WriteBytes(_scratch.AsSpan(0, 2));
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_scratch, value);
        WriteBytes(_scratch.AsSpan(0, 4));
    }

    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_scratch, value);
        WriteBytes(_scratch.AsSpan(0, 8));
    }

    public void WriteDouble(double value) => WriteUInt64(BitConverter.DoubleToUInt64Bits(value));

    /// <summary>
    /// Writes one row of residues bit-packed to the width of <paramref name="modulus"/>. A residue not below the prime
    /// is an engine bug, not a caller error; refusing it here keeps unreadable data from ever being written.
    /// </summary>
    public void WriteResidues(ReadOnlySpan<ulong> residues, Modulus modulus)
    {
        int length = checked((int)BitPacker.PackedLength(residues.Length, modulus.BitCount));
        if (_rowBuffer.Length < length)
        {
            _rowBuffer = new byte[length];
        }

        Span<byte> packed = _rowBuffer.AsSpan(0, length);
        int bad = BitPacker.Pack(residues, modulus.BitCount, modulus.Value, packed);
        if (bad >= 0)
        {
            throw new InvalidOperationException($"residue {bad} of a row modulo {modulus.Value} is not reduced; the object is damaged and cannot be serialized");
        }

        WriteBytes(packed);
    }
}
