namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>
/// Packs unsigned values of a fixed width (1..64 bits) into bytes, least significant bit first, with no gap between
/// values; the last byte is zero-padded. A residue modulo a b-bit prime takes exactly b bits, so a 26-bit prime's row
/// of N residues takes N*26/8 bytes instead of the N*8 of plain 64-bit words.
/// </summary>
internal static class BitPacker
{
    /// <summary>Bytes taken by <paramref name="count"/> values of <paramref name="width"/> bits.</summary>
    public static long PackedLength(long count, int width) => (count * width + 7) / 8;

    /// <summary>
    /// Packs <paramref name="values"/> into <paramref name="destination"/> (exactly <see cref="PackedLength"/> bytes).
    /// Returns the index of the first value not below <paramref name="bound"/>, or -1 when all are below it: packing
    /// such a value would spill into its neighbours, so the caller must refuse it rather than write damaged data.
    /// </summary>
    public static int Pack(ReadOnlySpan<ulong> values, int width, ulong bound, Span<byte> destination)
    {
        CheckWidth(width);
        if (destination.Length != PackedLength(values.Length, width))
        {
            throw new ArgumentException($"destination must be {PackedLength(values.Length, width)} bytes, got {destination.Length}");
        }

        // The accumulator holds fewer than 8 pending bits between pieces and takes pieces of at most 32 bits, so it
        // never overflows even for 61-bit values.
        ulong accumulator = 0;
        int pending = 0;
        int position = 0;
        for (int i = 0; i < values.Length; i++)
        {
            ulong value = values[i];
            if (value >= bound)
            {
                return i;
            }

            int remaining = width;
            while (remaining > 0)
            {
                int piece = Math.Min(remaining, 32);
                accumulator |= (value & Mask(piece)) << pending;
                value >>= piece;
                pending += piece;
                remaining -= piece;
                while (pending >= 8)
                {
                    destination[position++] = (byte)accumulator;
                    accumulator >>= 8;
                    pending -= 8;
                }
            }
        }

        if (pending > 0)
        {
            destination[position] = (byte)accumulator;
        }

        return -1;
    }

    /// <summary>
    /// Unpacks <paramref name="values"/>.Length values of <paramref name="width"/> bits from <paramref name="source"/>
    /// (exactly <see cref="PackedLength"/> bytes). Returns the index of the first value not below
    /// <paramref name="bound"/>, <paramref name="values"/>.Length when the padding bits of the last byte are not zero
    /// (so every object has one encoding), or -1 when everything is in range.
    /// </summary>
    public static int Unpack(ReadOnlySpan<byte> source, int width, ulong bound, Span<ulong> values)
    {
        CheckWidth(width);
        if (source.Length != PackedLength(values.Length, width))
        {
            throw new ArgumentException($"source must be {PackedLength(values.Length, width)} bytes, got {source.Length}");
        }

        ulong accumulator = 0;
        int available = 0;
        int position = 0;
        for (int i = 0; i < values.Length; i++)
        {
            ulong value = 0;
            int done = 0;
            while (done < width)
            {
                int piece = Math.Min(width - done, 32);
                // At most 31 bits are pending when a byte is added, so 39 bits at most: no overflow.
                while (available < piece)
                {
                    accumulator |= (ulong)source[position++] << available;
                    available += 8;
                }

                value |= (accumulator & Mask(piece)) << done;
                accumulator >>= piece;
                available -= piece;
                done += piece;
            }

            if (value >= bound)
            {
                return i;
            }

            values[i] = value;
        }

        return accumulator != 0 ? values.Length : -1;
    }

    private static ulong Mask(int bits) => bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;

    private static void CheckWidth(int width)
    {
        if (width < 1 || width > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"bit width {width} is outside [1, 64]");
        }
    }
}
