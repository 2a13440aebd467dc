namespace MLNet.HeChunk.Datasets.Synthetic.Painters;

/// <summary>
/// Inclusion: one to three chains of small specks stretched along the rolling direction, mostly
/// darker than the steel (oxide or slag), sometimes brighter, often trailing a faint smear.
/// </summary>
internal sealed class InclusionPainter : IDefectPainter
{
    public void Paint(Canvas canvas, Xoshiro256StarStar rng, double rollingAngle)
    {
        int chains = rng.Int(1, 3);
        float sign = rng.Chance(0.8) ? -1 : 1;
        for (int c = 0; c < chains; c++)
        {
            double direction = rollingAngle + rng.Uniform(-0.12, 0.12);
            double cos = PortableMath.Cos(direction);
            double sin = PortableMath.Sin(direction);
            double cx = rng.Uniform(0.1, 0.9) * canvas.Width;
            double cy = rng.Uniform(0.1, 0.9) * canvas.Height;
            double length = rng.Uniform(0.25, 0.9) * Math.Max(canvas.Width, canvas.Height);
            float strength = (float)rng.Uniform(0.18, 0.40);

            if (rng.Chance(0.6))
            {
                canvas.AddBlob(cx, cy, length / 2, rng.Uniform(2, 5) * canvas.Scale, cos, sin, sign * strength * 0.3f);
            }

            int specks = rng.Int(4, 14);
            for (int s = 0; s < specks; s++)
            {
                double along = rng.Uniform(-0.5, 0.5) * length;
                double across = rng.Uniform(-3, 3) * canvas.Scale;
                double x = cx + (along * cos) - (across * sin);
                double y = cy + (along * sin) + (across * cos);
                double radiusAlong = rng.Uniform(3, 12) * canvas.Scale;
                double radiusAcross = rng.Uniform(1.0, 2.8) * canvas.Scale;
                canvas.AddBlob(x, y, radiusAlong, radiusAcross, cos, sin, sign * strength * (float)rng.Uniform(0.6, 1.3));
            }
        }
    }
}
