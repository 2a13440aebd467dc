using System.Text.Json.Serialization;

namespace MLNet.HeChunk.Chunking;

/// <summary>
/// The layout of an image cut into chunks: an <see cref="ImageHeight"/> x <see cref="ImageWidth"/> row-major image
/// becomes <see cref="Rows"/> x <see cref="Columns"/> chunks of <see cref="ChunkHeight"/> x <see cref="ChunkWidth"/>
/// pixels, numbered row-major (chunk k sits at grid row k / Columns, grid column k % Columns).
/// </summary>
/// <remarks>
/// <para>Chunk-major vector layout: chunk k occupies positions [k * ChunkLength, (k + 1) * ChunkLength) of the
/// chunk vector, and inside a chunk the pixels are row-major: pixel (y, x) of chunk k is at
/// k * ChunkLength + y * ChunkWidth + x and comes from image pixel (gridRow * ChunkHeight + y, gridCol * ChunkWidth + x).</para>
/// <para>When the chunk size does not divide the image, <see cref="Padding"/> decides: refuse, or pad the
/// bottom and right edges up to <see cref="PaddedHeight"/> x <see cref="PaddedWidth"/>. <see cref="Merge"/>
/// drops the padding again, so split then merge returns the image exactly.</para>
/// </remarks>
public sealed record ChunkGrid
{
    /// <summary>Height of the image in pixels.</summary>
    public int ImageHeight { get; }

    /// <summary>Width of the image in pixels.</summary>
    public int ImageWidth { get; }

    /// <summary>Height of one chunk in pixels.</summary>
    public int ChunkHeight { get; }

    /// <summary>Width of one chunk in pixels.</summary>
    public int ChunkWidth { get; }

    /// <summary>How a chunk size that does not divide the image is handled.</summary>
    public ChunkPadding Padding { get; }

    /// <summary>Number of chunk rows.</summary>
    [JsonIgnore] public int Rows => (ImageHeight + ChunkHeight - 1) / ChunkHeight;

    /// <summary>Number of chunk columns.</summary>
    [JsonIgnore] public int Columns => (ImageWidth + ChunkWidth - 1) / ChunkWidth;

    /// <summary>Number of chunks, k = Rows * Columns.</summary>
    [JsonIgnore] public int ChunkCount => Rows * Columns;

    /// <summary>Pixels per chunk, ChunkHeight * ChunkWidth.</summary>
    [JsonIgnore] public int ChunkLength => ChunkHeight * ChunkWidth;

    /// <summary>Pixels in the image, ImageHeight * ImageWidth.</summary>
    [JsonIgnore] public int ImageLength => ImageHeight * ImageWidth;

    /// <summary>Length of the chunk vector, ChunkCount * ChunkLength.</summary>
    [JsonIgnore] public int VectorLength => ChunkCount * ChunkLength;

    /// <summary>Image height after padding (equals <see cref="ImageHeight"/> when the chunk height divides it).</summary>
    [JsonIgnore] public int PaddedHeight => Rows * ChunkHeight;

    /// <summary>Image width after padding (equals <see cref="ImageWidth"/> when the chunk width divides it).</summary>
    [JsonIgnore] public int PaddedWidth => Columns * ChunkWidth;

    /// <summary>Whether the grid pads the image.</summary>
    [JsonIgnore] public bool IsPadded => PaddedHeight != ImageHeight || PaddedWidth != ImageWidth;

    /// <summary>Creates a validated grid.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the image is smaller than a chunk.</exception>
    /// <exception cref="ArgumentException">The chunk size does not divide the image and <paramref name="padding"/> is <see cref="ChunkPadding.None"/>.</exception>
    [JsonConstructor]
    public ChunkGrid(int imageHeight, int imageWidth, int chunkHeight, int chunkWidth, ChunkPadding padding = ChunkPadding.None)
    {
        if (imageHeight <= 0 || imageWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(imageHeight), $"Image size must be positive; found {imageHeight} x {imageWidth}.");
        if (chunkHeight <= 0 || chunkWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(chunkHeight), $"Chunk size must be positive; found {chunkHeight} x {chunkWidth}.");
        if (chunkHeight > imageHeight || chunkWidth > imageWidth)
            throw new ArgumentOutOfRangeException(nameof(chunkHeight),
                $"Image {imageHeight} x {imageWidth} is smaller than one chunk of {chunkHeight} x {chunkWidth}.");
        if (!Enum.IsDefined(padding))
            throw new ArgumentOutOfRangeException(nameof(padding), $"Unknown padding {padding}.");
        if (padding == ChunkPadding.None && (imageHeight % chunkHeight != 0 || imageWidth % chunkWidth != 0))
            throw new ArgumentException(
                $"Chunk size {chunkHeight} x {chunkWidth} does not divide image size {imageHeight} x {imageWidth}; " +
                $"choose a divisor or set Padding to {nameof(ChunkPadding.Zero)} or {nameof(ChunkPadding.ReplicateEdge)}.", nameof(padding));
        long vector = (long)((imageHeight + chunkHeight - 1) / chunkHeight) * chunkHeight
                    * ((imageWidth + chunkWidth - 1) / chunkWidth) * chunkWidth;
        if (vector > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(imageHeight), $"A chunk vector of {vector} values is too large.");

        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
        ChunkHeight = chunkHeight;
        ChunkWidth = chunkWidth;
        Padding = padding;
    }

    /// <summary>The rectangle of real (unpadded) image pixels covered by chunk <paramref name="chunk"/>, as half-open ranges.</summary>
    public (int RowStart, int RowEnd, int ColumnStart, int ColumnEnd) ImageBounds(int chunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chunk, ChunkCount);
        int r0 = chunk / Columns * ChunkHeight;
        int c0 = chunk % Columns * ChunkWidth;
        return (r0, Math.Min(r0 + ChunkHeight, ImageHeight), c0, Math.Min(c0 + ChunkWidth, ImageWidth));
    }

    /// <summary>Cuts a row-major image into the chunk-major vector described on the class.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Split(ReadOnlySpan<float> image, Span<float> chunks)
    {
        RequireLength(image.Length, ImageLength, nameof(image));
        RequireLength(chunks.Length, VectorLength, nameof(chunks));
        int o = 0;
        for (int k = 0; k < ChunkCount; k++)
        {
            int r0 = k / Columns * ChunkHeight;
            int c0 = k % Columns * ChunkWidth;
            for (int y = 0; y < ChunkHeight; y++)
            {
                int r = r0 + y;
                for (int x = 0; x < ChunkWidth; x++, o++)
                {
                    int c = c0 + x;
                    if (r < ImageHeight && c < ImageWidth)
                        chunks[o] = image[r * ImageWidth + c];
                    else if (Padding == ChunkPadding.ReplicateEdge)
                        chunks[o] = image[Math.Min(r, ImageHeight - 1) * ImageWidth + Math.Min(c, ImageWidth - 1)];
                    else
                        chunks[o] = 0f;
                }
            }
        }
    }

    /// <summary>Reassembles the image from a chunk-major vector, dropping any padding.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Merge(ReadOnlySpan<float> chunks, Span<float> image)
    {
        RequireLength(chunks.Length, VectorLength, nameof(chunks));
        RequireLength(image.Length, ImageLength, nameof(image));
        for (int k = 0; k < ChunkCount; k++)
        {
            var (r0, r1, c0, c1) = ImageBounds(k);
            int baseOffset = k * ChunkLength;
            for (int r = r0; r < r1; r++)
                chunks.Slice(baseOffset + (r - r0) * ChunkWidth, c1 - c0).CopyTo(image.Slice(r * ImageWidth + c0, c1 - c0));
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{ImageHeight}x{ImageWidth} image, {Rows}x{Columns} chunks of {ChunkHeight}x{ChunkWidth}" +
        (IsPadded ? $", padded ({Padding}) to {PaddedHeight}x{PaddedWidth}" : "");

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"'{name}' holds {actual} values; expected {expected}.", name);
    }
}
