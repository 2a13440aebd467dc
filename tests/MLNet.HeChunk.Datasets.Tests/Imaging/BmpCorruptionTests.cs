using System.Buffers.Binary;
using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets.Tests.Imaging;

public sealed class BmpCorruptionTests
{
    /// <summary>Each case damages a valid 6 x 4 file in one way and names the problem it must be refused for.</summary>
    public static TheoryData<string, BmpProblem> Cases => new()
    {
        { "empty", BmpProblem.BadSignature },
        { "signature", BmpProblem.BadSignature },
        { "headers-cut", BmpProblem.Truncated },
        { "palette-cut", BmpProblem.Truncated },
        { "rows-cut", BmpProblem.Truncated },
        { "os2-header", BmpProblem.UnsupportedHeader },
        { "zero-width", BmpProblem.BadDimensions },
        { "zero-height", BmpProblem.BadDimensions },
        { "huge-width", BmpProblem.BadDimensions },
        { "two-planes", BmpProblem.BadDimensions },
        { "24-bit", BmpProblem.UnsupportedBitDepth },
        { "rle8", BmpProblem.UnsupportedCompression },
        { "palette-too-big", BmpProblem.BadPalette },
        { "offset-in-header", BmpProblem.BadPixelOffset },
        { "index-outside-palette", BmpProblem.PixelIndexOutsidePalette },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void CorruptFilesAreRefusedWithTheirProblemNamed(string damage, BmpProblem expected)
    {
        byte[] file = Damage(ValidFile(), damage);

        BmpFormatException error = Assert.Throws<BmpFormatException>(() => BmpReader.Decode(file));

        Assert.Equal(expected, error.Problem);
        Assert.Contains(expected.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPrefixOfAValidFileIsRefusedNotMisread()
    {
        // A file cut anywhere must fail cleanly: never an IndexOutOfRange, never a wrong image.
        byte[] file = ValidFile();
        for (int length = 0; length < file.Length; length++)
        {
            Assert.Throws<BmpFormatException>(() => BmpReader.Decode(file.AsSpan(0, length)));
        }
    }

    private static byte[] ValidFile() =>
        BmpWriter.Encode(new GrayImage(6, 4, Enumerable.Range(0, 24).Select(i => (byte)(i * 10)).ToArray()));

    private static byte[] Damage(byte[] file, string damage)
    {
        Span<byte> span = file;
        switch (damage)
        {
            case "empty":
                return [];
            case "signature":
                span[1] = (byte)'A';
                return file;
            case "headers-cut":
                return file[..30];
            case "palette-cut":
                return file[..500];
            case "rows-cut":
                return file[..^3];
            case "os2-header":
                BinaryPrimitives.WriteInt32LittleEndian(span[14..], 12);
                return file;
            case "zero-width":
                BinaryPrimitives.WriteInt32LittleEndian(span[18..], 0);
                return file;
            case "zero-height":
                BinaryPrimitives.WriteInt32LittleEndian(span[22..], 0);
                return file;
            case "huge-width":
                BinaryPrimitives.WriteInt32LittleEndian(span[18..], int.MaxValue);
                return file;
            case "two-planes":
                BinaryPrimitives.WriteInt16LittleEndian(span[26..], 2);
                return file;
            case "24-bit":
                BinaryPrimitives.WriteInt16LittleEndian(span[28..], 24);
                return file;
            case "rle8":
                BinaryPrimitives.WriteInt32LittleEndian(span[30..], 1);
                return file;
            case "palette-too-big":
                BinaryPrimitives.WriteInt32LittleEndian(span[46..], 300);
                return file;
            case "offset-in-header":
                BinaryPrimitives.WriteInt32LittleEndian(span[10..], 54);
                return file;
            case "index-outside-palette":
                // A 16-entry palette, while the pixels use levels up to 230.
                BinaryPrimitives.WriteInt32LittleEndian(span[46..], 16);
                return file;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage), damage, "Unknown damage.");
        }
    }
}
