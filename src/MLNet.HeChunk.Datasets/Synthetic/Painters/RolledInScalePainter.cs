namespace MLNet.HeChunk.Datasets.Synthetic.Painters;

/// <summary>
/// Rolled-in scale: irregular flakes of oxide pressed into the surface. Each flake is a cluster of
/// overlapping lobes with a dark body and a bright rim offset towards the light, which gives the
/// embossed, flaky look that separates it from flat pits or specks.
/// </summary>
internal sealed class RolledInScalePainter : IDefectPainter
{
    public void Paint(Canvas canvas, Xoshiro256StarStar rng, double rollingAngle)
    {
        int flakes = canvas.ScaleCount(rng.Int(30, 110));
        float strength = (float)rng.Uniform(0.18, 0.38);
        double lightAngle = rng.Uniform(0, 2 * Math.PI);
        double lightX = PortableMath.Cos(lightAngle) * 1.5 * canvas.Scale;
        double lightY = PortableMath.Sin(lightAngle) * 1.5 * canvas.Scale;
        for (int f = 0; f < flakes; f++)
        {
            double cx = rng.Uniform(0, canvas.Width);
            double cy = rng.Uniform(0, canvas.Height);
            double size = rng.Uniform(2.5, 7) * canvas.Scale;
            float amount = strength * (float)rng.Uniform(0.6, 1.2);
            int lobes = rng.Int(2, 4);
            for (int l = 0; l < lobes; l++)
            {
                double x = cx + (rng.Uniform(-0.7, 0.7) * size);
                double y = cy + (rng.Uniform(-0.7, 0.7) * size);
                double angle = rollingAngle + rng.Uniform(-0.8, 0.8);
                double cos = PortableMath.Cos(angle);
                double sin = PortableMath.Sin(angle);
                double along = size * rng.Uniform(0.6, 1.3);
                double across = size * rng.Uniform(0.35, 0.8);
                canvas.AddBlob(x + lightX, y + lightY, along, across, cos, sin, amount * 0.6f);
                canvas.AddBlob(x, y, along, across, cos, sin, -amount);
            }
        }
    }
}
