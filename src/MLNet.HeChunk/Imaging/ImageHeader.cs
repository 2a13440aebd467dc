namespace MLNet.HeChunk.Imaging;

/// <summary>What an image file's header declares, checked by <see cref="ImageHeaderReader"/> before decoding.</summary>
/// <param name="Format">"BMP", "PNG" or "JPEG".</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="BitsPerPixel">Bits per pixel (for PNG and JPEG: bit depth or precision times channels).</param>
public sealed record ImageHeader(string Format, int Width, int Height, int BitsPerPixel)
{
    /// <summary>Width x height.</summary>
    public long Pixels => (long)Width * Height;
}
