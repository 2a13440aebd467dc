namespace MLNet.HeChunk.Imaging;

/// <summary>
/// Bounds an image must meet, read from its header, before any decoder sees it. A 154-byte BMP can claim 60000 x 60000
/// pixels and a 1 kB PNG 100000 x 100000; a decoder trusting them allocates gigabytes. The defaults are far above any
/// image this library classifies (it resizes to 112 x 112) and far below what hurts a machine.
/// </summary>
public sealed record ImageLimits
{
    /// <summary>The defaults: at most 50 megapixels, sides up to 32768 pixels.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>Largest width x height accepted (default 50,000,000: about 200 MB of RGBA once decoded).</summary>
    public long MaxPixels { get; init; } = 50_000_000;

    /// <summary>Largest width or height accepted (default 32768).</summary>
    public int MaxSide { get; init; } = 32_768;

    /// <summary>Largest file read (default 256 MB).</summary>
    public long MaxFileBytes { get; init; } = 256L << 20;
}
