namespace MLNet.HeChunk.Chunking;

/// <summary>Options of <see cref="HeChunkCatalog.PrepareChunks"/>: the paper's client-side preprocessing.</summary>
public sealed class ChunkPreparationOptions
{
    /// <summary>Folder the image paths are relative to (empty: paths are absolute or relative to the working folder).</summary>
    public string ImageFolder { get; set; } = "";

    /// <summary>Side of the square image every image is resized to (112 in the paper).</summary>
    public int ImageSide { get; set; } = 112;

    /// <summary>Side of the square chunks (28 in the paper).</summary>
    public int ChunkSide { get; set; } = 28;

    /// <summary>The Sobel gate's threshold on the mean gradient magnitude (100 in the paper).</summary>
    public double Threshold { get; set; } = 100;
}
