using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets;

/// <summary>
/// An image with its class and its NEU-CLS number n (1-based), which fixes its file name (<c>Code_n.bmp</c>) and,
/// through <c>MLNet.HeChunk.Data.NeuClsSplit.IsTestNumber(Number)</c>, its split (the rule has one home, in the library
/// that loads image folders).
/// </summary>
/// <param name="Image">The grayscale pixels.</param>
/// <param name="Label">The defect class.</param>
/// <param name="Number">The 1-based number of the image within its class.</param>
public sealed record LabeledImage(GrayImage Image, SteelDefectClass Label, int Number);
