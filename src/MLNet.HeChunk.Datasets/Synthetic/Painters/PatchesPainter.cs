namespace MLNet.HeChunk.Datasets.Synthetic.Painters;

/// <summary>
/// Patches: large soft-edged blotches covering a sizeable fraction of the image, cut from smooth
/// noise at a random coverage and stretched somewhat along the rolling direction, with some
/// texture inside. Usually darker than the steel, sometimes brighter.
/// </summary>
internal sealed class PatchesPainter : IDefectPainter
{
    public void Paint(Canvas canvas, Xoshiro256StarStar rng, double rollingAngle)
    {
        int width = canvas.Width;
        int height = canvas.Height;
        float[] field = ValueNoise.Fractal(
            width, height, rng.NextUInt64(), rng.Uniform(18, 45) * canvas.Scale, rng.Uniform(1, 2.5), rollingAngle, 3);
        float[] texture = ValueNoise.Fractal(width, height, rng.NextUInt64(), 3 * canvas.Scale, 1, 0, 2);

        float threshold = Quantile(field, 1 - rng.Uniform(0.12, 0.40));
        float softness = (float)rng.Uniform(0.03, 0.12);
        float amount = (rng.Chance(0.85) ? -1 : 1) * (float)rng.Uniform(0.12, 0.40);

        var mask = new float[field.Length];
        for (int i = 0; i < field.Length; i++)
        {
            float t = Math.Clamp((field[i] - threshold) / softness, 0f, 1f);
            float edge = t * t * (3 - (2 * t));
            mask[i] = edge * (0.75f + (0.25f * texture[i]));
        }

        canvas.AddMask(mask, amount);
    }

    /// <summary>The value below which a fraction <paramref name="q"/> of the field lies.</summary>
    private static float Quantile(float[] field, double q)
    {
        var sorted = (float[])field.Clone();
        Array.Sort(sorted);
        return sorted[(int)Math.Clamp(q * (sorted.Length - 1), 0, sorted.Length - 1)];
    }
}
