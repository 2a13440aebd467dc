namespace MLNet.HeChunk.Training;

/// <summary>
/// The affine map applied to every pixel before the first layer: <c>x' = x * Scale + Offset</c>.
/// </summary>
/// <remarks>
/// Chosen as standardization with the training images' mean and standard deviation, so that the
/// first layer sees values of unit spread whatever the preprocessing. For histogram-equalized
/// 8-bit images that is close to <c>(x - 127.5) / 73.6</c>. It is exported with the chunk CNN's
/// weights so the encrypted path applies exactly the same map.
/// </remarks>
/// <param name="Scale">Multiplier (1 / standard deviation).</param>
/// <param name="Offset">Offset (-mean / standard deviation).</param>
public sealed record InputNormalization(double Scale, double Offset)
{
    /// <summary>Standardization with the mean and standard deviation of all pixels of <paramref name="data"/>.</summary>
    public static InputNormalization FromData(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        double sum = 0, sumSquares = 0;
        long n = 0;
        foreach (float[] image in data.Images)
        {
            foreach (float v in image)
            {
                sum += v;
                sumSquares += (double)v * v;
            }
            n += image.Length;
        }
        double mean = sum / n;
        double std = Math.Sqrt(Math.Max(sumSquares / n - mean * mean, 0));
        // A constant image set has no spread to normalize; keep the values as they are, centred.
        if (std < 1e-6)
            std = 1;
        return new InputNormalization(1 / std, -mean / std);
    }
}
