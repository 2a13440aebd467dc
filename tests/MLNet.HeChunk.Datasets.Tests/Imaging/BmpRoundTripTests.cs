using System.Buffers.Binary;
using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets.Tests.Imaging;

public sealed class BmpRoundTripTests
{
    [Fact]
    public void RandomImagesSurviveWriteThenRead()
    {
        // Property: Decode(Encode(image)) == image, over many sizes, including every width
        // remainder mod 4 (rows padded by 3, 2, 1 and 0 bytes) and 1-pixel extremes.
        var random = new Random(20260101);
        for (int trial = 0; trial < 200; trial++)
        {
            int width = trial < 8 ? 1 + trial : random.Next(1, 70);
            int height = trial < 8 ? 1 + (7 - trial) : random.Next(1, 70);
            var pixels = new byte[width * height];
            random.NextBytes(pixels);
            var image = new GrayImage(width, height, pixels);

            byte[] file = BmpWriter.Encode(image);
            GrayImage decoded = BmpReader.Decode(file);

            Assert.Equal(image, decoded);
            int stride = (width + 3) / 4 * 4;
            Assert.Equal(1078 + (stride * height), file.Length);
        }
    }

    [Fact]
    public void HeaderMatchesTheDocumentedLayout()
    {
        var image = new GrayImage(5, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        byte[] file = BmpWriter.Encode(image);

        Assert.Equal((byte)'B', file[0]);
        Assert.Equal((byte)'M', file[1]);
        Assert.Equal(file.Length, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(2)));
        Assert.Equal(1078, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(10)));
        Assert.Equal(40, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(14)));
        Assert.Equal(5, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(18)));
        Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(22)));
        Assert.Equal(8, BinaryPrimitives.ReadInt16LittleEndian(file.AsSpan(28)));
        Assert.Equal(0, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(30)));
        Assert.Equal(8 * 3, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(34)));

        // Palette entry i is (i, i, i, 0).
        Assert.Equal(new byte[] { 200, 200, 200, 0 }, file.AsSpan(54 + (4 * 200), 4).ToArray());

        // Bottom-up rows padded to 8 bytes: the top image row (1..5) is stored last.
        Assert.Equal(new byte[] { 11, 12, 13, 14, 15, 0, 0, 0 }, file.AsSpan(1078, 8).ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 0, 0, 0 }, file.AsSpan(1078 + 16, 8).ToArray());
    }

    [Fact]
    public void TopDownFilesAreReadRightWayUp()
    {
        var image = new GrayImage(3, 2, [10, 20, 30, 40, 50, 60]);
        byte[] file = BmpWriter.Encode(image);

        // Rewrite as top-down: negative height and rows in image order.
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(22), -2);
        byte[] bottomRow = file.AsSpan(1078, 4).ToArray();
        file.AsSpan(1082, 4).CopyTo(file.AsSpan(1078));
        bottomRow.CopyTo(file, 1082);

        Assert.Equal(image, BmpReader.Decode(file));
    }

    [Fact]
    public void ShortPalettesAndColourPalettesAreMappedToGray()
    {
        // A 2-entry palette: index 0 = pure red, index 1 = gray 100. Luma of red is 0.299 * 255 = 76.
        byte[] file = BmpWriter.Encode(new GrayImage(2, 1, [0, 1]));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(46), 2);
        file.AsSpan(54, 8).Clear();
        file[54 + 2] = 255;
        file[58] = 100;
        file[59] = 100;
        file[60] = 100;

        GrayImage decoded = BmpReader.Decode(file);

        Assert.Equal(76, decoded[0, 0]);
        Assert.Equal(100, decoded[1, 0]);
    }

    [Fact]
    public void StreamAndFileFormsAgreeWithTheByteForms()
    {
        var image = new GrayImage(7, 5, Enumerable.Range(0, 35).Select(i => (byte)(i * 7)).ToArray());
        using var stream = new MemoryStream();
        BmpWriter.Write(image, stream);
        Assert.Equal(BmpWriter.Encode(image), stream.ToArray());

        stream.Position = 0;
        Assert.Equal(image, BmpReader.Read(stream));

        string path = Path.Combine(Path.GetTempPath(), $"hechunk-bmp-{Guid.NewGuid():N}.bmp");
        try
        {
            BmpWriter.WriteFile(image, path);
            Assert.Equal(image, BmpReader.ReadFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
