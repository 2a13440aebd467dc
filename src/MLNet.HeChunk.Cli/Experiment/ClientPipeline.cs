using Microsoft.ML;
using MLNet.HeChunk.Data;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>
/// The client's ML.NET preprocessing, as docs/transforms.md defines it: load, resize to the model's square input,
/// grayscale, one channel of pixels, histogram equalization, chunks, Sobel gate.
/// </summary>
internal static class ClientPipeline
{
    /// <summary>Side of the square image every model takes.</summary>
    public const int ImageSide = 112;

    /// <summary>The pipeline reading <see cref="ImageFolderSample.ImagePath"/> and writing Pixels, Chunks, ChunkIndex and ChunkScores.</summary>
    public static IEstimator<ITransformer> Create(MLContext ml, int chunkSide, double threshold) =>
        ml.Transforms.PrepareChunks(nameof(ImageFolderSample.ImagePath),
            new Chunking.ChunkPreparationOptions { ImageSide = ImageSide, ChunkSide = chunkSide, Threshold = threshold });

    /// <summary>Parses a chunk size such as <c>28x28</c>; chunks must be square and tile the 112 x 112 image.</summary>
    /// <exception cref="CliException">The text is not a square size that divides 112.</exception>
    public static int ParseChunkSide(string text)
    {
        string[] parts = text.Split('x', 'X');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int height) || !int.TryParse(parts[1], out int width))
        {
            throw new CliException($"--chunk '{text}': expected HEIGHTxWIDTH, for example 28x28");
        }

        if (height != width)
        {
            throw new CliException($"--chunk '{text}': the chunk CNN takes square chunks");
        }

        if (height < 8 || ImageSide % height != 0)
        {
            throw new CliException($"--chunk '{text}': the side must divide the {ImageSide}-pixel image and be at least 8 (for example 14, 16, 28, 56)");
        }

        return height;
    }
}
