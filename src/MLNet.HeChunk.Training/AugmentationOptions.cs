namespace MLNet.HeChunk.Training;

/// <summary>
/// Random geometric augmentation applied to each training image every epoch (the paper's:
/// rotation within ±15°, horizontal flip, translation within ±10%).
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Largest rotation either way, in degrees.</summary>
    public double MaxRotationDegrees { get; init; } = 15;

    /// <summary>Whether half of the images are mirrored left-right.</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>
    /// Whether half of the images are mirrored top-bottom as well. Not in the paper; steel-strip
    /// defects have no preferred up or down, so it is a further label-preserving variation.
    /// </summary>
    public bool VerticalFlip { get; init; }

    /// <summary>Largest shift either way, as a fraction of the image side.</summary>
    public double MaxTranslationFraction { get; init; } = 0.10;

    /// <summary>
    /// Resample with the nearest pixel instead of bilinear interpolation. Bilinear resampling at
    /// fractional positions is a low-pass filter: it softens fine texture, so training images
    /// would have weaker high frequencies than test images. That matters most to the chunk CNN,
    /// whose features are local second-order statistics (mean squared filter responses).
    /// </summary>
    public bool NearestNeighbor { get; init; }

    /// <summary>No augmentation at all.</summary>
    public static AugmentationOptions None { get; } = new() { MaxRotationDegrees = 0, HorizontalFlip = false, VerticalFlip = false, MaxTranslationFraction = 0 };

    /// <summary>True when this adds no change to an image.</summary>
    public bool IsIdentity => MaxRotationDegrees == 0 && !HorizontalFlip && !VerticalFlip && MaxTranslationFraction == 0;

    internal void Validate()
    {
        if (!(MaxRotationDegrees >= 0 && MaxRotationDegrees <= 180))
            throw new ArgumentOutOfRangeException(nameof(MaxRotationDegrees), MaxRotationDegrees, "Must be within 0..180.");
        if (!(MaxTranslationFraction >= 0 && MaxTranslationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(MaxTranslationFraction), MaxTranslationFraction, "Must be within 0..1.");
    }
}
