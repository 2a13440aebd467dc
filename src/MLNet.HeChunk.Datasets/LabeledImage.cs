using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets;

/// <summary>
/// An image with its class and its NEU-CLS number n (1-based), which fixes both its file name
/// (<c>Code_n.bmp</c>) and its split (<see cref="NeuClsLayout.IsTest"/>).
/// </summary>
/// <param name="Image">The grayscale pixels.</param>
/// <param name="Label">The defect class.</param>
/// <param name="Number">The 1-based number of the image within its class.</param>
public sealed record LabeledImage(GrayImage Image, SteelDefectClass Label, int Number)
{
    /// <summary>Whether the image belongs to the test split (<c>Number % 4 == 1</c>).</summary>
    public bool IsTest => NeuClsLayout.IsTest(Number);
}
