namespace MLNet.HeChunk.Datasets.Imaging;

/// <summary>What is wrong with a BMP that <see cref="BmpReader"/> refuses.</summary>
public enum BmpProblem
{
    /// <summary>The data ends before a header, the palette or the pixel rows are complete.</summary>
    Truncated,

    /// <summary>The file does not start with the two bytes <c>BM</c>.</summary>
    BadSignature,

    /// <summary>The info header has a size this reader does not know (e.g. the 12-byte OS/2 header).</summary>
    UnsupportedHeader,

    /// <summary>Width, height or plane count is zero, negative where it may not be, or absurd.</summary>
    BadDimensions,

    /// <summary>The image is not 8 bits per pixel (only 8-bit palettized images are read).</summary>
    UnsupportedBitDepth,

    /// <summary>The pixels are compressed (RLE, bit fields, JPEG, PNG); only uncompressed BI_RGB is read.</summary>
    UnsupportedCompression,

    /// <summary>The palette is larger than 256 entries or overlaps the pixel data.</summary>
    BadPalette,

    /// <summary>The pixel-data offset points inside the headers or the palette.</summary>
    BadPixelOffset,

    /// <summary>A pixel refers to a palette entry that the palette does not have.</summary>
    PixelIndexOutsidePalette,
}
