namespace MLNet.HeChunk.Datasets.Synthetic.Painters;

/// <summary>
/// Crazing: a network of fine, jagged, dark cracks running roughly across the rolling direction,
/// each a random walk of short segments that sometimes branches.
/// </summary>
internal sealed class CrazingPainter : IDefectPainter
{
    public void Paint(Canvas canvas, Xoshiro256StarStar rng, double rollingAngle)
    {
        int cracks = canvas.ScaleCount(rng.Int(25, 70));
        float strength = (float)rng.Uniform(0.14, 0.35);
        double spread = rng.Uniform(0.3, 0.9);
        for (int c = 0; c < cracks; c++)
        {
            double x = rng.Uniform(0, canvas.Width);
            double y = rng.Uniform(0, canvas.Height);
            double heading = rollingAngle + (Math.PI / 2) + rng.Uniform(-spread, spread);
            Walk(canvas, rng, x, y, heading, rng.Int(4, 14), strength, allowBranches: true);
        }
    }

    private static void Walk(
        Canvas canvas, Xoshiro256StarStar rng, double x, double y, double heading, int steps, float strength, bool allowBranches)
    {
        double halfWidth = canvas.ScaleLineHalfWidth(rng.Uniform(0.35, 0.85));
        float amount = -strength * (float)rng.Uniform(0.6, 1.0);
        Span<double> xs = stackalloc double[steps + 1];
        Span<double> ys = stackalloc double[steps + 1];
        Span<float> amounts = stackalloc float[steps];
        xs[0] = x;
        ys[0] = y;
        for (int s = 0; s < steps; s++)
        {
            heading += rng.Uniform(-0.7, 0.7);
            double length = rng.Uniform(3, 8) * canvas.Scale;
            xs[s + 1] = xs[s] + (length * PortableMath.Cos(heading));
            ys[s + 1] = ys[s] + (length * PortableMath.Sin(heading));
            amounts[s] = amount;
            if (allowBranches && rng.Chance(0.15))
            {
                // Branches split off at a wide angle and stay short, as in a craze network.
                double branchHeading = heading + (rng.Sign() * rng.Uniform(0.7, 1.5));
                Walk(canvas, rng, xs[s + 1], ys[s + 1], branchHeading, rng.Int(2, 5), strength, allowBranches: false);
            }
        }

        canvas.AddPolyline(xs, ys, halfWidth, amounts);
    }
}
