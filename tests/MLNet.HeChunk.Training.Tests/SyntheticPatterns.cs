using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>
/// Six classes of generated textures (horizontal, vertical and diagonal stripes, checkerboard,
/// dots, plain noise) with random phase, period and noise: easy for a correct trainer, impossible
/// to learn for a broken one (e.g. labels shuffled against images, or gradients not applied).
/// </summary>
internal static class SyntheticPatterns
{
    public const int ClassCount = 6;

    public static ImageDataset Generate(int perClass, int size, int seed)
    {
        var random = new Random(seed);
        var images = new List<float[]>();
        var labels = new List<int>();
        for (int i = 0; i < perClass; i++)
        {
            for (int c = 0; c < ClassCount; c++)
            {
                images.Add(Pattern(c, size, random));
                labels.Add(c);
            }
        }
        return new ImageDataset(images, labels, size, size);
    }

    private static float[] Pattern(int kind, int size, Random random)
    {
        double period = 5 + random.NextDouble() * 3;
        double phase = random.NextDouble() * 2 * Math.PI;
        var image = new float[size * size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double w = 2 * Math.PI / period;
                double v = kind switch
                {
                    0 => Math.Sin(w * y + phase),
                    1 => Math.Sin(w * x + phase),
                    2 => Math.Sin(w * (x + y) / Math.Sqrt(2) + phase),
                    3 => Math.Sign(Math.Sin(w * x + phase) * Math.Sin(w * y + phase)),
                    4 => Math.Sin(w * x + phase) * Math.Sin(w * y + phase) > 0.5 ? 1 : -0.3,
                    _ => 0,
                };
                double noise = (random.NextDouble() * 2 - 1) * (kind == 5 ? 1.0 : 0.3);
                image[y * size + x] = (float)Math.Clamp(127.5 + 90 * (v + noise), 0, 255);
            }
        }
        return image;
    }
}
