using System.Buffers.Binary;

namespace MLNet.HeChunk.Training.Tests.NeuCls;

/// <summary>
/// Reads uncompressed 8-bit (palette) and 24-bit BMP files as grayscale, which covers NEU-CLS
/// without an imaging dependency in the test project.
/// </summary>
internal static class BmpReader
{
    /// <summary>Gray levels 0-255, row-major from the top row.</summary>
    public static byte[] ReadGray(string path, out int width, out int height)
    {
        byte[] b = File.ReadAllBytes(path);
        if (b.Length < 54 || b[0] != 'B' || b[1] != 'M')
            throw new InvalidDataException($"{path} is not a BMP file.");
        int dataOffset = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(10));
        int headerSize = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(14));
        width = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(18));
        int rawHeight = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(22));
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(28));
        int compression = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(30));
        if (compression != 0 || (bits != 8 && bits != 24))
            throw new InvalidDataException($"{path}: only uncompressed 8-bit or 24-bit BMP is supported (bits {bits}, compression {compression}).");
        bool bottomUp = rawHeight > 0;
        height = Math.Abs(rawHeight);
        int stride = (width * bits / 8 + 3) & ~3;
        var gray = new byte[width * height];
        byte[] palette = new byte[256];
        if (bits == 8)
        {
            int colours = BinaryPrimitives.ReadInt32LittleEndian(b.AsSpan(46));
            if (colours == 0)
                colours = 256;
            int at = 14 + headerSize;
            for (int i = 0; i < colours; i++)
                palette[i] = Luma(b[at + 4 * i + 2], b[at + 4 * i + 1], b[at + 4 * i]);
        }
        for (int y = 0; y < height; y++)
        {
            int row = dataOffset + (bottomUp ? height - 1 - y : y) * stride;
            for (int x = 0; x < width; x++)
            {
                gray[y * width + x] = bits == 8
                    ? palette[b[row + x]]
                    : Luma(b[row + 3 * x + 2], b[row + 3 * x + 1], b[row + 3 * x]);
            }
        }
        return gray;
    }

    private static byte Luma(byte r, byte g, byte b) => (byte)Math.Round(0.299 * r + 0.587 * g + 0.114 * b);
}
