using System.Buffers.Binary;

namespace MLNet.HeChunk.Imaging;

/// <summary>
/// Reads and checks the header of a BMP, PNG or JPEG file without decoding it: signature, dimensions against
/// <see cref="ImageLimits"/>, bit depth, and that the file is complete (BMP: the pixel rows fit in the file; PNG: every
/// chunk fits and IEND is present; JPEG: a frame header precedes the scan and the end-of-image marker is present), so
/// a bomb or a truncated file is refused in microseconds with a message naming the file, before SkiaSharp allocates.
/// </summary>
public static class ImageHeaderReader
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Checks the image file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a supported image, is truncated or exceeds the limits; the message names the file.</exception>
    public static ImageHeader Read(string path, ImageLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits ??= ImageLimits.Default;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
            return Read(stream, limits);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"Image file '{path}': {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Image file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Checks an image held in a seekable stream (read from its start; only headers are read).</summary>
    /// <exception cref="InvalidDataException">The data is not a supported image, is truncated or exceeds the limits.</exception>
    public static ImageHeader Read(Stream stream, ImageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("the image stream must be readable and seekable", nameof(stream));
        }

        limits ??= ImageLimits.Default;
        if (stream.Length > limits.MaxFileBytes)
        {
            throw new InvalidDataException($"{stream.Length} bytes exceed the {limits.MaxFileBytes}-byte limit");
        }

        Span<byte> head = stackalloc byte[8];
        stream.Position = 0;
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return read >= 2 && head[0] == (byte)'B' && head[1] == (byte)'M' ? ReadBmp(stream, limits)
            : read == 8 && head.SequenceEqual(PngSignature) ? ReadPng(stream, limits)
            : read >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF ? ReadJpeg(stream, limits)
            : throw new InvalidDataException("does not start with a BMP, PNG or JPEG signature: it is damaged or not an image");
    }

    /// <summary>Checked as soon as the dimensions are parsed, before anything else, so a bomb is named as one.</summary>
    private static void CheckDimensions(string format, long width, long height, ImageLimits limits)
    {
        if (width < 1 || height < 1 || width > limits.MaxSide || height > limits.MaxSide)
        {
            throw new InvalidDataException($"{format} declares {width} x {height} pixels; each side must be within [1, {limits.MaxSide}]");
        }

        if (width * height > limits.MaxPixels)
        {
            throw new InvalidDataException($"{format} declares {width} x {height} = {width * height:N0} pixels, more than the {limits.MaxPixels:N0}-pixel limit");
        }
    }

    private static ImageHeader ReadBmp(Stream stream, ImageLimits limits)
    {
        Span<byte> h = stackalloc byte[30];
        ReadAt(stream, 0, h, "BMP headers");
        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(h[10..]);
        uint infoSize = BinaryPrimitives.ReadUInt32LittleEndian(h[14..]);
        int width, height, planes, bits;
        uint compression = 0;
        if (infoSize == 12)
        {
            width = BinaryPrimitives.ReadUInt16LittleEndian(h[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(h[20..]);
            planes = BinaryPrimitives.ReadUInt16LittleEndian(h[22..]);
            bits = BinaryPrimitives.ReadUInt16LittleEndian(h[24..]);
        }
        else if (infoSize is 40 or 52 or 56 or 64 or 108 or 124)
        {
            Span<byte> info = stackalloc byte[20];
            ReadAt(stream, 14, info, "BMP info header");
            width = BinaryPrimitives.ReadInt32LittleEndian(info[4..]);
            int rawHeight = BinaryPrimitives.ReadInt32LittleEndian(info[8..]);
            height = rawHeight == int.MinValue ? 0 : Math.Abs(rawHeight);
            planes = BinaryPrimitives.ReadUInt16LittleEndian(info[12..]);
            bits = BinaryPrimitives.ReadUInt16LittleEndian(info[14..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(info[16..]);
        }
        else
        {
            throw new InvalidDataException($"BMP info header size {infoSize} is not one of 12, 40, 52, 56, 64, 108, 124");
        }

        if (planes != 1 || bits is not (1 or 4 or 8 or 16 or 24 or 32))
        {
            throw new InvalidDataException($"BMP declares {planes} planes of {bits} bits per pixel; expected 1 plane of 1, 4, 8, 16, 24 or 32 bits");
        }

        CheckDimensions("BMP", width, height, limits);

        if (pixelOffset < 14 + infoSize || pixelOffset >= stream.Length)
        {
            throw new InvalidDataException($"BMP pixel data offset {pixelOffset} lies outside the {stream.Length}-byte file (or inside its headers): truncated or damaged");
        }

        if (compression is 0 or 3 or 6)
        {
            long rowBytes = ((long)bits * width + 31) / 32 * 4;
            long end = pixelOffset + rowBytes * height;
            if (end > stream.Length)
            {
                throw new InvalidDataException($"BMP needs {end:N0} bytes for {width} x {height} pixels of {bits} bits, the file has {stream.Length:N0}: truncated");
            }
        }
        else if (compression is not (1 or 2))
        {
            throw new InvalidDataException($"BMP compression {compression} (embedded JPEG/PNG or unknown) is not accepted");
        }

        return new ImageHeader("BMP", width, height, bits);
    }

    private static ImageHeader ReadPng(Stream stream, ImageLimits limits)
    {
        Span<byte> ihdr = stackalloc byte[25];
        ReadAt(stream, 8, ihdr, "PNG header chunk");
        if (BinaryPrimitives.ReadUInt32BigEndian(ihdr) != 13 || !ihdr.Slice(4, 4).SequenceEqual("IHDR"u8))
        {
            throw new InvalidDataException("PNG does not start with a 13-byte IHDR chunk");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(ihdr[8..]);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[12..]);
        CheckDimensions("PNG", width, height, limits);
        int depth = ihdr[16], colour = ihdr[17];
        int channels = colour switch
        {
            0 when depth is 1 or 2 or 4 or 8 or 16 => 1,
            2 when depth is 8 or 16 => 3,
            3 when depth is 1 or 2 or 4 or 8 => 1,
            4 when depth is 8 or 16 => 2,
            6 when depth is 8 or 16 => 4,
            _ => throw new InvalidDataException($"PNG colour type {colour} with bit depth {depth} is not a valid combination"),
        };
        if (ihdr[18] != 0 || ihdr[19] != 0 || ihdr[20] > 1)
        {
            throw new InvalidDataException($"PNG compression {ihdr[18]}, filter {ihdr[19]} or interlace {ihdr[20]} method is unknown");
        }

        // Walk the chunk headers only (8 bytes each): every chunk must fit in the file, and IEND must come.
        long position = 8;
        bool sawData = false;
        Span<byte> chunk = stackalloc byte[8];
        for (int count = 0; ; count++)
        {
            if (position + 12 > stream.Length)
            {
                throw new InvalidDataException($"PNG ends at byte {stream.Length:N0} before its IEND chunk: truncated");
            }

            ReadAt(stream, position, chunk, "PNG chunk header");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(chunk);
            long next = position + 12 + length;
            if (length > int.MaxValue || next > stream.Length)
            {
                throw new InvalidDataException($"PNG chunk at byte {position:N0} claims {length:N0} bytes, beyond the {stream.Length:N0}-byte file: truncated");
            }

            ReadOnlySpan<byte> type = chunk[4..];
            if (type.SequenceEqual("IDAT"u8))
            {
                sawData = true;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                if (!sawData)
                {
                    throw new InvalidDataException("PNG has no IDAT chunk");
                }

                break;
            }

            if (count > 1_000_000)
            {
                throw new InvalidDataException("PNG has more than a million chunks");
            }

            position = next;
        }

        return new ImageHeader("PNG", (int)width, (int)height, depth * channels);
    }

    private static ImageHeader ReadJpeg(Stream stream, ImageLimits limits)
    {
        long position = 2;
        ImageHeader? frame = null;
        Span<byte> marker = stackalloc byte[4];
        Span<byte> sof = stackalloc byte[6];
        while (true)
        {
            if (position + 4 > stream.Length)
            {
                throw new InvalidDataException($"JPEG ends at byte {stream.Length:N0} inside its headers: truncated");
            }

            ReadAt(stream, position, marker, "JPEG marker");
            if (marker[0] != 0xFF)
            {
                throw new InvalidDataException($"JPEG has no marker at byte {position:N0}: damaged");
            }

            byte code = marker[1];
            if (code == 0xFF)
            {
                position++; // fill byte
                continue;
            }

            if (code is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                position += 2;
                continue;
            }

            if (code == 0xD9)
            {
                throw new InvalidDataException("JPEG ends before its image scan");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(marker[2..]);
            if (length < 2 || position + 2 + length > stream.Length)
            {
                throw new InvalidDataException($"JPEG segment 0x{code:X2} at byte {position:N0} claims {length} bytes beyond the {stream.Length:N0}-byte file: truncated");
            }

            if (code is (>= 0xC0 and <= 0xCF) and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 8)
                {
                    throw new InvalidDataException("JPEG frame header is too short");
                }

                ReadAt(stream, position + 4, sof, "JPEG frame header");
                int precision = sof[0], height = BinaryPrimitives.ReadUInt16BigEndian(sof[1..]), width = BinaryPrimitives.ReadUInt16BigEndian(sof[3..]), components = sof[5];
                if (precision is not (8 or 12) || components is not (1 or 3 or 4))
                {
                    throw new InvalidDataException($"JPEG declares {components} components of {precision} bits; expected 1, 3 or 4 components of 8 or 12 bits");
                }

                CheckDimensions("JPEG", width, height, limits);
                frame = new ImageHeader("JPEG", width, height, precision * components);
            }
            else if (code == 0xDA)
            {
                if (frame is null)
                {
                    throw new InvalidDataException("JPEG scan starts before any frame header");
                }

                // The entropy-coded data runs to the end-of-image marker; a truncated file has none.
                RequireEndOfImage(stream, position + 2 + length);
                return frame;
            }

            position += 2 + length;
        }
    }

    private static void RequireEndOfImage(Stream stream, long scanStart)
    {
        // Trailing bytes after EOI are tolerated (some writers pad); look for FF D9 in the last 4 kB first, then anywhere after the scan.
        long tail = Math.Max(scanStart, stream.Length - 4096);
        if (Contains(stream, tail, 0xFF, 0xD9) || (tail > scanStart && Contains(stream, scanStart, 0xFF, 0xD9)))
        {
            return;
        }

        throw new InvalidDataException("JPEG has no end-of-image marker after its scan: truncated");
    }

    private static bool Contains(Stream stream, long from, byte first, byte second)
    {
        stream.Position = from;
        var buffer = new byte[8192];
        int previous = -1;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                if (previous == first && buffer[i] == second)
                {
                    return true;
                }

                previous = buffer[i];
            }
        }

        return false;
    }

    private static void ReadAt(Stream stream, long position, Span<byte> target, string what)
    {
        if (position < 0 || position + target.Length > stream.Length)
        {
            throw new InvalidDataException($"the file ends before its {what} ({stream.Length:N0} bytes): truncated");
        }

        stream.Position = position;
        stream.ReadExactly(target);
    }
}
