namespace MLNet.HeChunk.Datasets.Synthetic.Painters;

/// <summary>
/// Scratches: one to four long thin lines, mostly along the rolling direction, gently curved and
/// fading in and out along their length; usually brighter than the steel (polished by the
/// scratching body), sometimes dark; now and then a bundle of faint parallel lines.
/// </summary>
internal sealed class ScratchesPainter : IDefectPainter
{
    private const int Pieces = 12;

    public void Paint(Canvas canvas, Xoshiro256StarStar rng, double rollingAngle)
    {
        int lines = rng.Int(1, 4);
        float sign = rng.Chance(0.7) ? 1 : -1;
        double diagonal = Math.Sqrt((canvas.Width * (double)canvas.Width) + (canvas.Height * (double)canvas.Height));
        for (int l = 0; l < lines; l++)
        {
            double direction = rng.Chance(0.8) ? rollingAngle + rng.Uniform(-0.12, 0.12) : rng.Uniform(0, Math.PI);
            double cx = rng.Uniform(0.1, 0.9) * canvas.Width;
            double cy = rng.Uniform(0.1, 0.9) * canvas.Height;
            double length = rng.Uniform(0.45, 1.1) * diagonal;
            double halfWidth = canvas.ScaleLineHalfWidth(rng.Uniform(0.5, 1.6));
            float amount = sign * (float)rng.Uniform(0.18, 0.45);
            bool bundle = rng.Chance(0.25);
            int strands = bundle ? rng.Int(3, 7) : 1;
            double spacing = rng.Uniform(2, 4) * canvas.Scale;
            double bow = rng.Uniform(-4, 4) * canvas.Scale;
            for (int s = 0; s < strands; s++)
            {
                double offset = (s - ((strands - 1) / 2.0)) * spacing;
                float strandAmount = bundle ? amount * (float)rng.Uniform(0.3, 0.8) : amount;
                DrawStrand(canvas, rng, cx, cy, direction, length, offset, bow, halfWidth, strandAmount);
            }
        }
    }

    private static void DrawStrand(
        Canvas canvas, Xoshiro256StarStar rng, double cx, double cy, double direction, double length,
        double offset, double bow, double halfWidth, float amount)
    {
        double cos = PortableMath.Cos(direction);
        double sin = PortableMath.Sin(direction);
        Span<double> xs = stackalloc double[Pieces + 1];
        Span<double> ys = stackalloc double[Pieces + 1];
        Span<float> amounts = stackalloc float[Pieces];
        for (int p = 0; p <= Pieces; p++)
        {
            double t = (p / (double)Pieces) - 0.5;
            // A parabolic bow across the line: scratches from a dragged particle are rarely straight.
            double across = offset + (bow * ((4 * t * t) - 1));
            xs[p] = cx + (t * length * cos) - (across * sin);
            ys[p] = cy + (t * length * sin) + (across * cos);
            if (p < Pieces)
            {
                amounts[p] = amount * (float)rng.Uniform(0.5, 1.0);
            }
        }

        canvas.AddPolyline(xs, ys, halfWidth, amounts);
    }
}
