namespace MLNet.HeChunk.Datasets.Imaging;

/// <summary>
/// Byte layout of the BMP files written here, shared by <see cref="BmpWriter"/> and <see cref="BmpReader"/>.
/// All integers are little-endian.
/// <code>
/// offset size field (BITMAPFILEHEADER, 14 bytes)
///      0    2 'B' 'M'
///      2    4 file size in bytes
///      6    4 reserved, 0
///     10    4 offset of the pixel data (1078 for a 256-entry palette)
/// offset size field (BITMAPINFOHEADER, 40 bytes)
///     14    4 header size, 40
///     18    4 width in pixels
///     22    4 height in pixels; positive = rows stored bottom-up, negative = top-down
///     26    2 planes, 1
///     28    2 bits per pixel, 8
///     30    4 compression, 0 = BI_RGB (none)
///     34    4 pixel data size = row stride x height
///     38    4 horizontal resolution (pixels per metre), 0
///     42    4 vertical resolution, 0
///     46    4 palette entries used, 256
///     50    4 palette entries important, 256
///     54 1024 palette: 256 x (blue, green, red, 0); entry i is gray level i
///   1078  ... rows, each padded with zeros to a multiple of 4 bytes (the stride)
/// </code>
/// The header fields match those of the NEU-CLS files, so re-encoding a decoded NEU-CLS image
/// reproduces its file byte for byte.
/// </summary>
internal static class BmpLayout
{
    public const int FileHeaderSize = 14;
    public const int InfoHeaderSize = 40;
    public const int PaletteEntries = 256;
    public const int PaletteEntrySize = 4;
    public const int PixelDataOffset = FileHeaderSize + InfoHeaderSize + (PaletteEntries * PaletteEntrySize);

    /// <summary>Bytes per stored row: width rounded up to a multiple of 4.</summary>
    public static long Stride(long width) => (width + 3) & ~3L;
}
