using ImageResizingKind = Microsoft.ML.Transforms.Image.ImageResizingEstimator.ResizingKind;

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

    /// <summary>
    /// How an image that is not square becomes square (default <see cref="ImageResizingKind.IsoCrop"/>: the centred square
    /// of the shorter side, scaled). Cropping keeps the texture's scale and aspect, which the filters and descriptors measure;
    /// <see cref="ImageResizingKind.Fill"/> stretches, <see cref="ImageResizingKind.IsoPad"/> pads. Square images (NEU-CLS, X-SDD)
    /// come out the same either way, so the data here cannot choose between them: the default is a stated policy, not a
    /// measured one (docs/training.md).
    /// </summary>
    public ImageResizingKind Resizing { get; set; } = ImageResizingKind.IsoCrop;

    /// <summary>The Sobel gate's threshold on the mean gradient magnitude (100 in the paper).</summary>
    public double Threshold { get; set; } = 100;
}
