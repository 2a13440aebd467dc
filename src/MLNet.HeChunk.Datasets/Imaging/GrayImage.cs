namespace MLNet.HeChunk.Datasets.Imaging;

/// <summary>
/// An immutable 8-bit grayscale image: <see cref="Width"/> x <see cref="Height"/> bytes, row-major,
/// first row at the top (0 = black, 255 = white).
/// </summary>
public sealed class GrayImage : IEquatable<GrayImage>
{
    private readonly byte[] _pixels;

    /// <summary>Creates an image from a copy of <paramref name="pixels"/> (row-major, top row first).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is below 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> does not hold exactly width x height bytes.</exception>
    public GrayImage(int width, int height, ReadOnlySpan<byte> pixels)
        : this(pixels.ToArray(), width, height)
    {
    }

    // Takes ownership of the buffer: used by the decoder and the generator, which build a fresh
    // array per image, so the public constructor's defensive copy would be pure waste there.
    private GrayImage(byte[] pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height != pixels.Length)
        {
            throw new ArgumentException(
                $"A {width}x{height} image needs {(long)width * height} pixels, but {pixels.Length} were given.", nameof(pixels));
        }

        Width = width;
        Height = height;
        _pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>All pixels, row-major, top row first.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The pixel in column <paramref name="x"/> of row <paramref name="y"/> (row 0 at the top).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the image.</exception>
    public byte this[int x, int y]
    {
        get
        {
            if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(x), $"({x}, {y}) is outside the {Width}x{Height} image.");
            }

            return _pixels[(y * Width) + x];
        }
    }

    /// <summary>Returns one row, top row is 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="y"/> is outside the image.</exception>
    public ReadOnlySpan<byte> GetRow(int y)
    {
        if ((uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(y), y, $"Row is outside the {Width}x{Height} image.");
        }

        return _pixels.AsSpan(y * Width, Width);
    }

    /// <summary>Copies the pixels into a new array (row-major, top row first).</summary>
    public byte[] ToArray() => (byte[])_pixels.Clone();

    /// <summary>Same size and same pixels.</summary>
    public bool Equals(GrayImage? other) =>
        other is not null
        && Width == other.Width
        && Height == other.Height
        && _pixels.AsSpan().SequenceEqual(other._pixels);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GrayImage);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Width);
        hash.Add(Height);
        hash.AddBytes(_pixels);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => $"GrayImage {Width}x{Height}";

    internal static GrayImage WrapOwned(int width, int height, byte[] pixels) =>
        new(pixels, width, height);
}
