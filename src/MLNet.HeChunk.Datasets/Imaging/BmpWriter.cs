using System.Buffers.Binary;

namespace MLNet.HeChunk.Datasets.Imaging;

/// <summary>
/// Writes a <see cref="GrayImage"/> as an uncompressed 8-bit BMP with a 256-level gray palette,
/// rows bottom-up and padded to 4 bytes: the format of the NEU-CLS files (layout in <see cref="BmpLayout"/>).
/// </summary>
public static class BmpWriter
{
    /// <summary>Encodes <paramref name="image"/> as the bytes of a BMP file.</summary>
    public static byte[] Encode(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        long stride = BmpLayout.Stride(image.Width);
        long dataSize = stride * image.Height;
        long fileSize = BmpLayout.PixelDataOffset + dataSize;
        if (fileSize > int.MaxValue)
        {
            // The header's size fields are 32-bit, and readers treat them as signed.
            throw new ArgumentException($"A {image.Width}x{image.Height} image is too large for a BMP file.", nameof(image));
        }

        var bytes = new byte[fileSize];
        Span<byte> span = bytes;

        span[0] = (byte)'B';
        span[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], (int)fileSize);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], BmpLayout.PixelDataOffset);

        Span<byte> info = span[BmpLayout.FileHeaderSize..];
        BinaryPrimitives.WriteInt32LittleEndian(info, BmpLayout.InfoHeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], image.Width);
        BinaryPrimitives.WriteInt32LittleEndian(info[8..], image.Height);
        BinaryPrimitives.WriteInt16LittleEndian(info[12..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(info[14..], 8);
        BinaryPrimitives.WriteInt32LittleEndian(info[20..], (int)dataSize);
        BinaryPrimitives.WriteInt32LittleEndian(info[32..], BmpLayout.PaletteEntries);
        BinaryPrimitives.WriteInt32LittleEndian(info[36..], BmpLayout.PaletteEntries);

        Span<byte> palette = span.Slice(BmpLayout.FileHeaderSize + BmpLayout.InfoHeaderSize, BmpLayout.PaletteEntries * BmpLayout.PaletteEntrySize);
        for (int i = 0; i < BmpLayout.PaletteEntries; i++)
        {
            palette[i * 4] = (byte)i;
            palette[(i * 4) + 1] = (byte)i;
            palette[(i * 4) + 2] = (byte)i;
        }

        // Bottom-up: the last image row is stored first. Padding bytes stay zero from the allocation.
        for (int y = 0; y < image.Height; y++)
        {
            long rowStart = BmpLayout.PixelDataOffset + ((long)(image.Height - 1 - y) * stride);
            image.GetRow(y).CopyTo(span.Slice((int)rowStart, image.Width));
        }

        return bytes;
    }

    /// <summary>Writes <paramref name="image"/> as a BMP to <paramref name="stream"/>.</summary>
    public static void Write(GrayImage image, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(Encode(image));
    }

    /// <summary>Writes <paramref name="image"/> as a BMP file at <paramref name="path"/>, replacing any existing file.</summary>
    public static void WriteFile(GrayImage image, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllBytes(path, Encode(image));
    }
}
