using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.ML.Data;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Imaging;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// Replays the image failures of issue 11: a 154-byte BMP claiming 60000 x 60000 pixels and a 1 kB PNG claiming
/// 100000 x 100000 are refused from their headers in milliseconds with little memory; truncated BMP, PNG and JPEG
/// files are refused; the pixel limit is configurable; real images pass.
/// </summary>
public sealed class ImageBombTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hechunk-images-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>The bomb: file and info headers, a 256-entry palette cut short, 154 bytes in all.</summary>
    internal static byte[] BmpBomb()
    {
        var bytes = new byte[154];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2), 154);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(10), 54 + 1024);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), 60000);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), 60000);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), 8);
        return bytes;
    }

    /// <summary>A 1 kB PNG: a valid IHDR claiming 100000 x 100000 RGBA, one small IDAT, IEND.</summary>
    internal static byte[] PngBomb() => Png(100_000, 100_000);

    /// <summary>A PNG whose IHDR declares <paramref name="width"/> x <paramref name="height"/> RGBA, with one IDAT and IEND.</summary>
    internal static byte[] Png(uint width, uint height)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", new byte[960]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)data.Length);
        png.Write(length);
        png.Write(System.Text.Encoding.ASCII.GetBytes(type));
        png.Write(data);
        png.Write(new byte[4]); // CRC: not checked by the header reader
    }

    private string RealImage(string name, int side = 32)
    {
        var pixels = new byte[side * side * 4];
        new Random(side).NextBytes(pixels);
        for (int i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        using var image = MLImage.CreateFromPixels(side, side, MLPixelFormat.Bgra32, pixels);
        string path = Path.Combine(_folder, name);
        image.Save(path);
        return path;
    }

    private static void RefusedFastAndSmall(string path, params string[] expected)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InvalidDataException>(() => ImageHeaderReader.Read(path));
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(Path.GetFileName(path), e.Message);
        foreach (string text in expected)
        {
            Assert.Contains(text, e.Message);
        }

        Assert.True(allocated < 1 << 20, $"refusing {path} allocated {allocated:N0} bytes");
        Assert.True(clock.ElapsedMilliseconds < 1000, $"refusing {path} took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void TheBmpBombIsRefusedFromItsHeader() => RefusedFastAndSmall(Write("bomb.bmp", BmpBomb()), "60000");

    [Fact]
    public void ThePngBombIsRefusedFromItsHeader()
    {
        byte[] bomb = PngBomb();
        Assert.True(bomb.Length <= 1024);
        RefusedFastAndSmall(Write("bomb.png", bomb), "100000");
    }

    [Fact]
    public void TheBombsNeverReachTheDecoderThroughAnImageFolder()
    {
        foreach (string name in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(_folder, "data", name));
            RealImage(Path.Combine("data", name, $"{name}_1.png"));
        }

        File.WriteAllBytes(Path.Combine(_folder, "data", "b", "b_2.bmp"), BmpBomb());
        var e = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Scan(Path.Combine(_folder, "data")));
        Assert.Contains("b_2.bmp", e.Message);
    }

    [Fact]
    public void TruncatedImagesAreRefused()
    {
        foreach (string extension in new[] { "png", "jpg", "bmp" })
        {
            string path = extension == "bmp" ? Write("full.bmp", Bmp8(20, 20)) : RealImage($"full.{extension}", 48);
            Assert.Equal(Path.GetFileName(path) == "full.bmp" ? 20 : 48, ImageHeaderReader.Read(path).Width);
            byte[] bytes = File.ReadAllBytes(path);
            string cut = Write($"cut.{extension}", bytes[..(bytes.Length * 2 / 3)]);
            RefusedFastAndSmall(cut, "truncated");
        }
    }

    [Fact]
    public void ThePixelLimitIsConfigurable()
    {
        string path = RealImage("small.png", 32);
        Assert.Equal(new ImageHeader("PNG", 32, 32, 32), ImageHeaderReader.Read(path));
        var e = Assert.Throws<InvalidDataException>(() => ImageHeaderReader.Read(path, new ImageLimits { MaxPixels = 1000 }));
        Assert.Contains("1,000-pixel limit", e.Message);
    }

    [Fact]
    public void BadBitDepthsAreRefused()
    {
        byte[] bmp = Bmp8(4, 4);
        BinaryPrimitives.WriteUInt16LittleEndian(bmp.AsSpan(28), 7);
        RefusedFastAndSmall(Write("depth.bmp", bmp), "7 bits");
        byte[] png = PngBomb();
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 10);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 10);
        png[24] = 3; // 3-bit RGBA does not exist
        RefusedFastAndSmall(Write("depth.png", png), "bit depth 3");
    }

    /// <summary>An uncompressed 8-bit grayscale BMP.</summary>
    internal static byte[] Bmp8(int width, int height)
    {
        int stride = (width + 3) / 4 * 4;
        int offset = 54 + 1024;
        var bytes = new byte[offset + stride * height];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2), (uint)bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(10), (uint)offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(28), 8);
        for (int i = 0; i < 256; i++)
        {
            bytes[54 + 4 * i] = bytes[55 + 4 * i] = bytes[56 + 4 * i] = (byte)i;
        }

        return bytes;
    }
}
