namespace MLNet.HeChunk.Data;

/// <summary>One labelled image of an image folder: a row of the data view <see cref="ImageFolderDataset.Load"/> returns.</summary>
public sealed class ImageFolderSample
{
    /// <summary>Full path of the image file (what <c>LoadImages</c> reads, with an empty image folder).</summary>
    public string ImagePath { get; set; } = "";

    /// <summary>Class name: the class folder's name, or the file name prefix in a flat folder.</summary>
    public string Label { get; set; } = "";

    /// <inheritdoc/>
    public override string ToString() => $"{Label}: {ImagePath}";
}
