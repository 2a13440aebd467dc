namespace MLNet.HeChunk.Gating;

/// <summary>
/// The scale per-pixel Sobel magnitudes are put on before a chunk is scored. For pixels on 0-255 a raw
/// magnitude lies in [0, 4 * 255 * sqrt(2)], about [0, 1442.5].
/// </summary>
public enum GradientScale
{
    /// <summary>min(G, 255): the magnitude saturated to an 8-bit gradient image, as OpenCV-style pipelines store it
    /// (uint8 conversion) before thresholding. The default; the paper's threshold of 100 is read on this scale.</summary>
    Clip255 = 0,

    /// <summary>G * 255 / (4 * 255 * sqrt(2)): linear, maps the largest possible magnitude to 255.</summary>
    Normalized255 = 1,

    /// <summary>G as computed, on [0, 1442.5] for 0-255 pixels.</summary>
    Raw = 2,
}
