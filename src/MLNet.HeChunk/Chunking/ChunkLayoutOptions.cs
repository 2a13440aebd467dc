using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Chunking;

/// <summary>
/// The chunk layout shared by the estimators that need one (split, merge, Sobel gate). Give the gate the same
/// layout as the splitter so that score k belongs to chunk k.
/// </summary>
public abstract class ChunkLayoutOptions
{
    /// <summary>Chunk height in pixels (default 28, the paper's size).</summary>
    public int ChunkHeight { get; set; } = 28;

    /// <summary>Chunk width in pixels (default 28; the paper also uses 28 x 26).</summary>
    public int ChunkWidth { get; set; } = 28;

    /// <summary>Image height. Null (with <see cref="ImageWidth"/> null): the image is taken to be square and its side
    /// is inferred from the pixel vector's length at fit time. Set both for non-square images.</summary>
    public int? ImageHeight { get; set; }

    /// <summary>Image width; see <see cref="ImageHeight"/>.</summary>
    public int? ImageWidth { get; set; }

    /// <summary>What to do when the chunk size does not divide the image (default: refuse).</summary>
    public ChunkPadding Padding { get; set; } = ChunkPadding.None;

    /// <summary>Copies every layout setting from <paramref name="grid"/> (for example one read from a model).</summary>
    public void UseGrid(ChunkGrid grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ChunkHeight = grid.ChunkHeight;
        ChunkWidth = grid.ChunkWidth;
        ImageHeight = grid.ImageHeight;
        ImageWidth = grid.ImageWidth;
        Padding = grid.Padding;
    }

    /// <summary>A copy, so an estimator is not changed by later edits of the options object it was given.</summary>
    internal T Snapshot<T>() where T : ChunkLayoutOptions => (T)MemberwiseClone();

    /// <summary>Checks the settings alone; returns the grid when the image size is given, else null.</summary>
    internal ChunkGrid? ValidateLayout()
    {
        if (ChunkHeight <= 0 || ChunkWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(ChunkHeight), $"Chunk size must be positive; found {ChunkHeight} x {ChunkWidth}.");
        if (ImageHeight.HasValue != ImageWidth.HasValue)
            throw new ArgumentException($"Set both {nameof(ImageHeight)} and {nameof(ImageWidth)}, or neither (square image inferred).");
        return ImageHeight is int h && ImageWidth is int w ? new ChunkGrid(h, w, ChunkHeight, ChunkWidth, Padding) : null;
    }

    /// <summary>The grid for an image column of <paramref name="imageLength"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length does not fit the settings, or the image is smaller than a chunk.</exception>
    internal ChunkGrid ResolveGrid(string column, int imageLength, string vectorDescription)
    {
        int height, width;
        if (ImageHeight is int h && ImageWidth is int w)
        {
            if ((long)h * w != imageLength)
                throw ColumnCheck.Mismatch("inputSchema", column, $"Vector<Single, {(long)h * w}> ({h} x {w} image)", vectorDescription);
            (height, width) = (h, w);
        }
        else
        {
            int side = (int)Math.Round(Math.Sqrt(imageLength));
            if ((long)side * side != imageLength || side == 0)
            {
                // ExtractPixels extracts R, G and B by default, even from a grayscale image: say so when it fits.
                int channel = (int)Math.Round(Math.Sqrt(imageLength / 3.0));
                string hint = imageLength % 3 == 0 && 3L * channel * channel == imageLength
                    ? $" It looks like 3 colour channels of a {channel} x {channel} image: extract one channel with " +
                      "ExtractPixels(..., colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red)."
                    : "";
                throw ColumnCheck.Mismatch("inputSchema", column,
                    $"a square grayscale image (set {nameof(ImageHeight)} and {nameof(ImageWidth)} for other shapes)",
                    $"{vectorDescription}, which is not a square.{hint}");
            }
            (height, width) = (side, side);
        }
        try
        {
            return new ChunkGrid(height, width, ChunkHeight, ChunkWidth, Padding);
        }
        catch (ArgumentException e)
        {
            throw ColumnCheck.Mismatch("inputSchema", column, $"an image that {ChunkHeight} x {ChunkWidth} chunks can tile", $"{height} x {width}: {e.Message}");
        }
    }
}
