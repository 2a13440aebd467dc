namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// A floating-point grayscale drawing surface (0 = black, 1 = white, values may stray outside while
/// drawing) with the few antialiased primitives the defect painters need. Everything is additive,
/// so overlapping marks darken or brighten further, as overlapping real defects do.
/// </summary>
internal sealed class Canvas
{
    // Scratch buffer for AddPolyline, kept all zero between calls.
    private float[]? _stamp;

    public Canvas(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new float[width * height];
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Row-major, top row first.</summary>
    public float[] Pixels { get; }

    /// <summary>
    /// Length unit relative to the 200-pixel NEU-CLS image side, so that defects keep their
    /// proportions when a different size is requested.
    /// </summary>
    public double Scale => Math.Min(Width, Height) / 200.0;

    /// <summary>
    /// Scales a count of marks drawn for a 200 x 200 image to this canvas. Lengths shrink with
    /// <see cref="Scale"/>, so a smaller square image is the same surface seen from further away and
    /// keeps the same count; a wider or taller one shows more surface and gets proportionally more.
    /// At least one mark is kept, so that every image shows its defect.
    /// </summary>
    public int ScaleCount(int countAt200)
    {
        double side = Math.Min(Width, Height);
        return Math.Max(1, (int)(countAt200 * (Width * (double)Height / (side * side))));
    }

    /// <summary>
    /// Scales a line half width drawn for a 200 x 200 image to this canvas, but not below 0.35 px
    /// (the thinnest crack at full size), under which a line would vanish into the antialiasing.
    /// </summary>
    public double ScaleLineHalfWidth(double halfWidthAt200) => Math.Max(0.35, halfWidthAt200 * Scale);

    /// <summary>
    /// Adds a polyline through the points (<paramref name="xs"/>[i], <paramref name="ys"/>[i]) whose
    /// piece i carries <paramref name="amounts"/>[i] (all of one sign). Where pieces overlap, at the
    /// joints, a pixel takes the strongest piece instead of their sum, so a line does not show beads
    /// at its bends.
    /// </summary>
    public void AddPolyline(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double halfWidth, ReadOnlySpan<float> amounts)
    {
        if (xs.Length != amounts.Length + 1 || ys.Length != xs.Length)
        {
            throw new ArgumentException($"A polyline of {amounts.Length} pieces needs {amounts.Length + 1} points, got {xs.Length} x and {ys.Length} y.");
        }

        _stamp ??= new float[Pixels.Length];
        double reach = halfWidth + 1;
        int boxMinX = Width;
        int boxMaxX = -1;
        int boxMinY = Height;
        int boxMaxY = -1;
        for (int piece = 0; piece < amounts.Length; piece++)
        {
            double x0 = xs[piece];
            double y0 = ys[piece];
            double dx = xs[piece + 1] - x0;
            double dy = ys[piece + 1] - y0;
            int minX = ClampX(Math.Floor(Math.Min(x0, x0 + dx) - reach));
            int maxX = ClampX(Math.Ceiling(Math.Max(x0, x0 + dx) + reach));
            int minY = ClampY(Math.Floor(Math.Min(y0, y0 + dy) - reach));
            int maxY = ClampY(Math.Ceiling(Math.Max(y0, y0 + dy) + reach));
            boxMinX = Math.Min(boxMinX, minX);
            boxMaxX = Math.Max(boxMaxX, maxX);
            boxMinY = Math.Min(boxMinY, minY);
            boxMaxY = Math.Max(boxMaxY, maxY);
            double lengthSquared = (dx * dx) + (dy * dy);
            float amount = amounts[piece];
            for (int y = minY; y <= maxY; y++)
            {
                for (int x = minX; x <= maxX; x++)
                {
                    // Distance from the pixel centre to the closest point of the piece.
                    double px = x + 0.5 - x0;
                    double py = y + 0.5 - y0;
                    double t = lengthSquared > 0 ? Math.Clamp(((px * dx) + (py * dy)) / lengthSquared, 0, 1) : 0;
                    double ex = px - (t * dx);
                    double ey = py - (t * dy);
                    double coverage = halfWidth + 0.5 - Math.Sqrt((ex * ex) + (ey * ey));
                    if (coverage > 0)
                    {
                        float value = amount * (float)Math.Min(coverage, 1);
                        ref float cell = ref _stamp[(y * Width) + x];
                        if (Math.Abs(value) > Math.Abs(cell))
                        {
                            cell = value;
                        }
                    }
                }
            }
        }

        for (int y = boxMinY; y <= boxMaxY; y++)
        {
            for (int x = boxMinX; x <= boxMaxX; x++)
            {
                int i = (y * Width) + x;
                Pixels[i] += _stamp[i];
                _stamp[i] = 0;
            }
        }
    }

    /// <summary>
    /// Adds a smooth dome: <paramref name="amount"/> x (1 - q^2)^2 inside an ellipse with semi-axes
    /// <paramref name="radiusAlong"/> (along direction (<paramref name="cos"/>, <paramref name="sin"/>))
    /// and <paramref name="radiusAcross"/>, where q is the normalised elliptic radius. The soft falloff
    /// is what pits, specks and scale flakes look like after the optics blur them.
    /// </summary>
    public void AddBlob(double cx, double cy, double radiusAlong, double radiusAcross, double cos, double sin, float amount)
    {
        double reach = Math.Max(radiusAlong, radiusAcross) + 1;
        int minX = ClampX(Math.Floor(cx - reach));
        int maxX = ClampX(Math.Ceiling(cx + reach));
        int minY = ClampY(Math.Floor(cy - reach));
        int maxY = ClampY(Math.Ceiling(cy + reach));
        double invAlong = 1 / Math.Max(radiusAlong, 0.5);
        double invAcross = 1 / Math.Max(radiusAcross, 0.5);
        for (int y = minY; y <= maxY; y++)
        {
            for (int x = minX; x <= maxX; x++)
            {
                double px = x + 0.5 - cx;
                double py = y + 0.5 - cy;
                double u = ((px * cos) + (py * sin)) * invAlong;
                double v = ((py * cos) - (px * sin)) * invAcross;
                double q2 = (u * u) + (v * v);
                if (q2 < 1)
                {
                    double falloff = 1 - q2;
                    Pixels[(y * Width) + x] += amount * (float)(falloff * falloff);
                }
            }
        }
    }

    /// <summary>Adds <paramref name="amount"/> x mask, pixel by pixel; the mask has the canvas's size.</summary>
    public void AddMask(float[] mask, float amount)
    {
        for (int i = 0; i < Pixels.Length; i++)
        {
            Pixels[i] += amount * mask[i];
        }
    }

    private int ClampX(double x) => (int)Math.Clamp(x, 0, Width - 1);

    private int ClampY(double y) => (int)Math.Clamp(y, 0, Height - 1);
}
