namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// Separable Gaussian blur with edge pixels repeated past the border: stands in for the camera's
/// optics, which soften every mark by a varying amount.
/// </summary>
internal static class GaussianBlur
{
    public static void Apply(float[] pixels, int width, int height, double sigma)
    {
        if (sigma < 0.2)
        {
            // The kernel would be a single tap; skip the two passes.
            return;
        }

        float[] kernel = Kernel(sigma);
        int radius = kernel.Length / 2;
        var temp = new float[pixels.Length];

        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int xx = Math.Clamp(x + k, 0, width - 1);
                    sum += kernel[k + radius] * pixels[row + xx];
                }

                temp[row + x] = sum;
            }
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int yy = Math.Clamp(y + k, 0, height - 1);
                    sum += kernel[k + radius] * temp[(yy * width) + x];
                }

                pixels[(y * width) + x] = sum;
            }
        }
    }

    /// <summary>Normalised taps out to 3 sigma, where the Gaussian has fallen to 1%.</summary>
    private static float[] Kernel(double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(3 * sigma));
        var kernel = new float[(2 * radius) + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++)
        {
            double w = PortableMath.Exp(-(k * k) / (2 * sigma * sigma));
            kernel[k + radius] = (float)w;
            total += (float)w;
        }

        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(kernel[i] / total);
        }

        return kernel;
    }
}
