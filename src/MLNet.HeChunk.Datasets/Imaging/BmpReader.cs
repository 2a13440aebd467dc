using System.Buffers.Binary;

namespace MLNet.HeChunk.Datasets.Imaging;

/// <summary>
/// Reads uncompressed 8-bit palettized BMP files (what <see cref="BmpWriter"/> writes, and the
/// NEU-CLS images) into a <see cref="GrayImage"/>. Anything else, or a corrupt file, is refused with
/// a <see cref="BmpFormatException"/> whose <see cref="BmpFormatException.Problem"/> names the check that failed.
/// </summary>
/// <remarks>
/// Accepted: a BITMAPINFOHEADER (40 bytes) or one of its extensions (52, 56, 108 or 124 bytes, of
/// which only the first 40 are used); bottom-up (positive height) or top-down (negative height)
/// rows; any palette of 1 to 256 entries. Gray palettes (red = green = blue) map each index to its
/// level; a colour palette is reduced to luma with the integer ITU-R BT.601 weights
/// (299 R + 587 G + 114 B) / 1000, rounded. The file-size field is not checked, since common
/// writers leave it 0; instead every byte the header promises must actually be present, and that is
/// checked before any pixel buffer is allocated.
/// </remarks>
public static class BmpReader
{
    // Far above any real image, but small enough that width x height cannot overflow.
    private const int MaxDimension = 1 << 15;

    /// <summary>Decodes the bytes of a BMP file.</summary>
    /// <exception cref="BmpFormatException">The data is not a readable 8-bit BMP, or is corrupt.</exception>
    public static GrayImage Decode(ReadOnlySpan<byte> data)
    {
        const int minimumHeaders = BmpLayout.FileHeaderSize + BmpLayout.InfoHeaderSize;
        if (data.Length < 2 || data[0] != (byte)'B' || data[1] != (byte)'M')
        {
            throw new BmpFormatException(BmpProblem.BadSignature, "the data does not start with 'BM'.");
        }

        if (data.Length < minimumHeaders)
        {
            throw new BmpFormatException(
                BmpProblem.Truncated, $"{data.Length} bytes cannot hold the {minimumHeaders} bytes of file and info headers.");
        }

        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        ReadOnlySpan<byte> info = data[BmpLayout.FileHeaderSize..];
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(info);
        if (headerSize is not (40 or 52 or 56 or 108 or 124))
        {
            throw new BmpFormatException(
                BmpProblem.UnsupportedHeader, $"info header size {headerSize}; expected 40 (BITMAPINFOHEADER) or 52, 56, 108, 124.");
        }

        int width = BinaryPrimitives.ReadInt32LittleEndian(info[4..]);
        int rawHeight = BinaryPrimitives.ReadInt32LittleEndian(info[8..]);
        ushort planes = BinaryPrimitives.ReadUInt16LittleEndian(info[12..]);
        ushort bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(info[14..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(info[16..]);
        uint paletteUsed = BinaryPrimitives.ReadUInt32LittleEndian(info[32..]);

        if (width < 1 || width > MaxDimension || rawHeight == 0 || rawHeight < -MaxDimension || rawHeight > MaxDimension)
        {
            throw new BmpFormatException(
                BmpProblem.BadDimensions, $"width {width} and height {rawHeight}; each must be non-zero (width positive) and at most {MaxDimension} in size.");
        }

        if (planes != 1)
        {
            throw new BmpFormatException(BmpProblem.BadDimensions, $"{planes} colour planes; a BMP has exactly 1.");
        }

        if (bitsPerPixel != 8)
        {
            throw new BmpFormatException(
                BmpProblem.UnsupportedBitDepth, $"{bitsPerPixel} bits per pixel; only 8-bit palettized images are read.");
        }

        if (compression != 0)
        {
            string name = compression switch
            {
                1 => "RLE8",
                2 => "RLE4",
                3 => "BI_BITFIELDS",
                4 => "JPEG",
                5 => "PNG",
                _ => "unknown",
            };
            throw new BmpFormatException(
                BmpProblem.UnsupportedCompression, $"compression {compression} ({name}); only 0 (BI_RGB, uncompressed) is read.");
        }

        long paletteEntries = paletteUsed == 0 ? 256 : paletteUsed;
        if (paletteEntries > 256)
        {
            throw new BmpFormatException(BmpProblem.BadPalette, $"{paletteUsed} palette entries; an 8-bit image has at most 256.");
        }

        long paletteStart = BmpLayout.FileHeaderSize + (long)headerSize;
        long paletteEnd = paletteStart + (paletteEntries * BmpLayout.PaletteEntrySize);
        if (paletteEnd > data.Length)
        {
            throw new BmpFormatException(
                BmpProblem.Truncated, $"the {paletteEntries}-entry palette ends at byte {paletteEnd}, but the data has only {data.Length} bytes.");
        }

        if (pixelOffset < paletteEnd)
        {
            throw new BmpFormatException(
                BmpProblem.BadPixelOffset, $"pixel data offset {pixelOffset} lies inside the headers and palette, which end at byte {paletteEnd}.");
        }

        bool bottomUp = rawHeight > 0;
        int height = Math.Abs(rawHeight);
        long stride = BmpLayout.Stride(width);
        long pixelEnd = pixelOffset + (stride * height);
        if (pixelEnd > data.Length)
        {
            throw new BmpFormatException(
                BmpProblem.Truncated, $"{height} rows of {stride} bytes from offset {pixelOffset} need {pixelEnd} bytes, but the data has only {data.Length}.");
        }

        Span<byte> levels = stackalloc byte[256];
        ReadPalette(data[(int)paletteStart..(int)paletteEnd], levels);

        var pixels = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            int storedRow = bottomUp ? height - 1 - y : y;
            ReadOnlySpan<byte> source = data.Slice((int)(pixelOffset + (storedRow * stride)), width);
            Span<byte> target = pixels.AsSpan(y * width, width);
            for (int x = 0; x < width; x++)
            {
                byte index = source[x];
                if (index >= paletteEntries)
                {
                    throw new BmpFormatException(
                        BmpProblem.PixelIndexOutsidePalette, $"pixel ({x}, {y}) uses palette index {index}, but the palette has {paletteEntries} entries.");
                }

                target[x] = levels[index];
            }
        }

        return GrayImage.WrapOwned(width, height, pixels);
    }

    /// <summary>Reads a whole BMP from <paramref name="stream"/> (from its current position to its end).</summary>
    /// <exception cref="BmpFormatException">The data is not a readable 8-bit BMP, or is corrupt.</exception>
    public static GrayImage Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Reads the BMP file at <paramref name="path"/>.</summary>
    /// <exception cref="BmpFormatException">The file is not a readable 8-bit BMP, or is corrupt.</exception>
    public static GrayImage ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Decode(File.ReadAllBytes(path));
    }

    private static void ReadPalette(ReadOnlySpan<byte> palette, Span<byte> levels)
    {
        for (int i = 0; i < palette.Length / BmpLayout.PaletteEntrySize; i++)
        {
            int blue = palette[i * 4];
            int green = palette[(i * 4) + 1];
            int red = palette[(i * 4) + 2];
            levels[i] = red == green && green == blue
                ? (byte)red
                : (byte)(((299 * red) + (587 * green) + (114 * blue) + 500) / 1000);
        }
    }
}
