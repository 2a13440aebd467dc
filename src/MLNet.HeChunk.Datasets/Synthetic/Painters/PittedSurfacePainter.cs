namespace MLNet.HeChunk.Datasets.Synthetic.Painters;

/// <summary>
/// Pitted surface: many small dark pits, clustered where a smooth density field is high, each a
/// tiny dome slightly elongated along the rolling direction.
/// </summary>
internal sealed class PittedSurfacePainter : IDefectPainter
{
    public void Paint(Canvas canvas, Xoshiro256StarStar rng, double rollingAngle)
    {
        int width = canvas.Width;
        int height = canvas.Height;
        float[] density = ValueNoise.Fractal(width, height, rng.NextUInt64(), rng.Uniform(30, 80) * canvas.Scale, 1, 0, 2);
        double cos = PortableMath.Cos(rollingAngle);
        double sin = PortableMath.Sin(rollingAngle);
        int pits = canvas.ScaleCount(rng.Int(150, 600));
        float strength = (float)rng.Uniform(0.18, 0.38);
        double sizeScale = rng.Uniform(0.8, 1.4) * canvas.Scale;
        double clustering = rng.Uniform(0.5, 3);

        int placed = 0;
        for (int attempt = 0; attempt < pits * 20 && placed < pits; attempt++)
        {
            double x = rng.Uniform(0, width);
            double y = rng.Uniform(0, height);
            // Rejection sampling: keep a candidate with a probability rising with the local density.
            double d = density[((int)y * width) + (int)x];
            if (!rng.Chance(Math.Clamp(0.5 + (clustering * d), 0.02, 1)))
            {
                continue;
            }

            double radius = rng.Uniform(1.0, 2.4) * sizeScale;
            canvas.AddBlob(x, y, radius * rng.Uniform(1, 1.8), radius, cos, sin, -strength * (float)rng.Uniform(0.5, 1.2));
            placed++;
        }
    }
}
