namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// The defect-free steel surface shared by all classes: mid-gray base, uneven illumination,
/// streaks along the rolling direction and fine grain. Every class draws its background from the
/// same distribution, so only the defect marks tell the classes apart.
/// </summary>
internal static class MetalBackground
{
    public static void Paint(Canvas canvas, Xoshiro256StarStar rng, double rollingAngle)
    {
        int width = canvas.Width;
        int height = canvas.Height;
        float[] pixels = canvas.Pixels;
        double scale = canvas.Scale;

        // Uneven illumination: a linear ramp in a random direction plus a very smooth swell.
        double rampAngle = rng.Uniform(0, 2 * Math.PI);
        double rampX = PortableMath.Cos(rampAngle) * rng.Uniform(0, 0.18) / width;
        double rampY = PortableMath.Sin(rampAngle) * rng.Uniform(0, 0.18) / height;
        float[] swell = ValueNoise.Fractal(width, height, rng.NextUInt64(), 90 * scale, 1, 0, 2);
        float swellAmount = (float)rng.Uniform(0.02, 0.09);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                double ramp = ((x - (width / 2.0)) * rampX) + ((y - (height / 2.0)) * rampY);
                pixels[(y * width) + x] = 0.5f + (float)ramp + (swellAmount * swell[(y * width) + x]);
            }
        }

        // Rolling streaks: noise stretched many times along the rolling direction.
        float[] streaks = ValueNoise.Fractal(
            width, height, rng.NextUInt64(), rng.Uniform(2, 6) * scale, rng.Uniform(8, 25), rollingAngle, 3);
        canvas.AddMask(streaks, (float)rng.Uniform(0.02, 0.09));

        // Grain: fine isotropic texture of the metal itself.
        float[] grain = ValueNoise.Fractal(width, height, rng.NextUInt64(), rng.Uniform(1.2, 3) * scale, 1, 0, 2);
        canvas.AddMask(grain, (float)rng.Uniform(0.02, 0.10));
    }
}
