namespace MLNet.HeChunk.Cli.Reporting.Png;

/// <summary>An RGB raster with the few primitives the report's charts need: rectangles, lines and pixel-font text.</summary>
internal sealed class RasterCanvas
{
    private readonly byte[] _rgb;

    /// <summary>A white canvas.</summary>
    public RasterCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        _rgb = new byte[width * height * 3];
        Array.Fill(_rgb, (byte)255);
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Sets one pixel (ignored outside the canvas).</summary>
    public void Set(int x, int y, Rgb color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            return;
        }

        int i = (y * Width + x) * 3;
        _rgb[i] = color.R;
        _rgb[i + 1] = color.G;
        _rgb[i + 2] = color.B;
    }

    /// <summary>Fills a rectangle.</summary>
    public void Fill(int x, int y, int width, int height, Rgb color)
    {
        for (int yy = y; yy < y + height; yy++)
        {
            for (int xx = x; xx < x + width; xx++)
            {
                Set(xx, yy, color);
            }
        }
    }

    /// <summary>Draws a rectangle's outline of the given thickness.</summary>
    public void Outline(int x, int y, int width, int height, Rgb color, int thickness = 1)
    {
        Fill(x, y, width, thickness, color);
        Fill(x, y + height - thickness, width, thickness, color);
        Fill(x, y, thickness, height, color);
        Fill(x + width - thickness, y, thickness, height, color);
    }

    /// <summary>Draws text with its top-left corner at (x, y); <paramref name="scale"/> screen pixels per font pixel.</summary>
    public void Text(int x, int y, string text, Rgb color, int scale = 2)
    {
        for (int c = 0; c < text.Length; c++)
        {
            int left = x + c * (PixelFont.Width + 1) * scale;
            for (int fy = 0; fy < PixelFont.Height; fy++)
            {
                for (int fx = 0; fx < PixelFont.Width; fx++)
                {
                    if (PixelFont.IsSet(text[c], fx, fy))
                    {
                        Fill(left + fx * scale, y + fy * scale, scale, scale, color);
                    }
                }
            }
        }
    }

    /// <summary>Width of <paramref name="text"/> in screen pixels.</summary>
    public static int TextWidth(string text, int scale = 2) => Math.Max(0, text.Length * (PixelFont.Width + 1) * scale - scale);

    /// <summary>Text height in screen pixels.</summary>
    public static int TextHeight(int scale = 2) => PixelFont.Height * scale;

    /// <summary>Draws text centred on x.</summary>
    public void TextCentered(int centerX, int y, string text, Rgb color, int scale = 2) => Text(centerX - TextWidth(text, scale) / 2, y, text, color, scale);

    /// <summary>The canvas as PNG bytes.</summary>
    public byte[] ToPng() => PngEncoder.Encode(Width, Height, _rgb);
}

/// <summary>An 8-bit RGB colour.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Black.</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <summary>Light gray for grid lines.</summary>
    public static Rgb Grid => new(220, 220, 220);

    /// <summary>Red for markers.</summary>
    public static Rgb Red => new(220, 30, 30);

    /// <summary>Series colours of the charts (colour-blind-safe blue, orange, green, purple).</summary>
    public static IReadOnlyList<Rgb> Series { get; } = [new(0, 114, 178), new(230, 159, 0), new(0, 158, 115), new(204, 121, 167)];

    /// <summary>A gray level.</summary>
    public static Rgb Gray(byte level) => new(level, level, level);

    /// <summary>White (t = 0) to dark blue (t = 1).</summary>
    public static Rgb Heat(double t)
    {
        t = Math.Clamp(t, 0, 1);
        return new((byte)(255 - t * 247), (byte)(255 - t * 207), (byte)(255 - t * 148));
    }
}
