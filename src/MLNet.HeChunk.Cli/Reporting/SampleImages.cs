using MLNet.HeChunk.Cli.Experiment;
using MLNet.HeChunk.Cli.Reporting.Png;

namespace MLNet.HeChunk.Cli.Reporting;

/// <summary>One preprocessed test image per class with its feature chunks outlined in red (what gets encrypted).</summary>
internal static class SampleImages
{
    /// <summary>Writes the PNG (up to 8 classes, 2 images each).</summary>
    public static void Write(string path, IReadOnlyList<PreparedImage> images, IReadOnlyList<string> classes, int chunkSide)
    {
        const int Scale = 2, PerClass = 2, Gap = 10;
        int side = ClientPipeline.ImageSide * Scale;
        var shown = classes.Take(8).Select((_, c) => images.Where(i => i.ClassIndex == c).Take(PerClass).ToList()).ToList();
        int rows = Math.Max(1, shown.Max(s => s.Count));
        var canvas = new RasterCanvas(Gap + shown.Count * (side + Gap), 40 + rows * (side + Gap + 20));
        for (int c = 0; c < shown.Count; c++)
        {
            int left = Gap + c * (side + Gap);
            canvas.Text(left, 10, classes[c], Rgb.Black);
            for (int r = 0; r < shown[c].Count; r++)
            {
                PreparedImage image = shown[c][r];
                int top = 34 + r * (side + Gap + 20);
                for (int y = 0; y < ClientPipeline.ImageSide; y++)
                {
                    for (int x = 0; x < ClientPipeline.ImageSide; x++)
                    {
                        canvas.Fill(left + x * Scale, top + y * Scale, Scale, Scale, Rgb.Gray((byte)Math.Clamp(image.Pixels[y * ClientPipeline.ImageSide + x], 0, 255)));
                    }
                }

                int columns = ClientPipeline.ImageSide / chunkSide;
                for (int k = 0; k < image.ChunkIndex.Length; k++)
                {
                    if (image.ChunkIndex[k] > 0)
                    {
                        canvas.Outline(left + k % columns * chunkSide * Scale, top + k / columns * chunkSide * Scale, chunkSide * Scale, chunkSide * Scale, Rgb.Red, 2);
                    }
                }

                canvas.Text(left, top + side + 4, $"{image.FeatureChunkCount}/{image.ChunkIndex.Length} ENCRYPTED", Rgb.Black, 1);
            }
        }

        File.WriteAllBytes(path, canvas.ToPng());
    }
}
