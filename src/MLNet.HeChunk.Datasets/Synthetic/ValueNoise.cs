namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// Fractal value noise: random values on an integer lattice, smoothly interpolated, summed over
/// octaves. Lattice values come from hashing (seed, i, j) rather than from a stored grid, so a
/// rotated or stretched sampling window never runs off the edge of the lattice.
/// </summary>
internal static class ValueNoise
{
    /// <summary>
    /// Returns a field of the canvas's size with values in [-1, 1] and mean near 0.
    /// </summary>
    /// <param name="width">Field width.</param>
    /// <param name="height">Field height.</param>
    /// <param name="seed">Selects the lattice.</param>
    /// <param name="cellSize">Lattice spacing of the first octave in pixels, across the main direction.</param>
    /// <param name="stretch">How many times longer features are along the main direction (1 = isotropic).</param>
    /// <param name="angle">Main direction in radians.</param>
    /// <param name="octaves">Octaves, each with half the cell size and half the amplitude of the previous.</param>
    public static float[] Fractal(int width, int height, ulong seed, double cellSize, double stretch, double angle, int octaves)
    {
        var field = new float[width * height];
        double cos = PortableMath.Cos(angle);
        double sin = PortableMath.Sin(angle);
        double amplitude = 1;
        double totalAmplitude = 0;
        for (int octave = 0; octave < octaves; octave++)
        {
            ulong octaveSeed = SplitMix64.Mix(seed + (ulong)octave + 1);
            double across = 1 / cellSize;
            double along = across / stretch;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    double u = ((x * cos) + (y * sin)) * along;
                    double v = ((y * cos) - (x * sin)) * across;
                    field[(y * width) + x] += (float)(amplitude * Sample(octaveSeed, u, v));
                }
            }

            totalAmplitude += amplitude;
            amplitude *= 0.5;
            cellSize *= 0.5;
        }

        float normalise = (float)(1 / totalAmplitude);
        for (int i = 0; i < field.Length; i++)
        {
            field[i] *= normalise;
        }

        return field;
    }

    /// <summary>Smoothly interpolated lattice noise at (u, v), in [-1, 1].</summary>
    private static double Sample(ulong seed, double u, double v)
    {
        double fu = Math.Floor(u);
        double fv = Math.Floor(v);
        long i = (long)fu;
        long j = (long)fv;
        double tu = Smooth(u - fu);
        double tv = Smooth(v - fv);
        double a = Lattice(seed, i, j);
        double b = Lattice(seed, i + 1, j);
        double c = Lattice(seed, i, j + 1);
        double d = Lattice(seed, i + 1, j + 1);
        double top = a + ((b - a) * tu);
        double bottom = c + ((d - c) * tu);
        return top + ((bottom - top) * tv);
    }

    private static double Smooth(double t) => t * t * (3 - (2 * t));

    private static double Lattice(ulong seed, long i, long j)
    {
        ulong h = SplitMix64.Mix(seed ^ ((ulong)i * 0x9E3779B97F4A7C15UL) ^ ((ulong)j * 0xC2B2AE3D27D4EB4FUL));
        return ((h >> 11) * (2.0 / (1UL << 53))) - 1;
    }
}
