namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// What the camera does to the painted surface: optical blur, exposure (gain and offset), sensor
/// noise, clipping and 8-bit quantisation. Exposure varies from image to image (see
/// <see cref="CameraExposure"/>), which keeps global intensity statistics from naming the class.
/// </summary>
internal static class SensorFinish
{
    public static byte[] Apply(Canvas canvas, CameraExposure exposure, Xoshiro256StarStar rng)
    {
        float[] pixels = canvas.Pixels;
        GaussianBlur.Apply(pixels, canvas.Width, canvas.Height, rng.Uniform(0, 0.8) * canvas.Scale);

        float gain = (float)exposure.Gain;
        float level = (float)exposure.Level;
        float noise = (float)rng.Uniform(0.005, 0.03);
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            float value = level + (gain * (pixels[i] - 0.5f)) + (noise * rng.NextGaussian());
            float clipped = Math.Clamp(value, 0f, 1f);
            bytes[i] = (byte)((clipped * 255f) + 0.5f);
        }

        return bytes;
    }
}
