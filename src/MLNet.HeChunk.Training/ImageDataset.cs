namespace MLNet.HeChunk.Training;

/// <summary>
/// Labelled grayscale images as the trainers take them: each image a row-major float array of
/// <see cref="Height"/> x <see cref="Width"/> values on a 0-255 scale (normally histogram-equalized,
/// 112 x 112), each label a class index in 0..<see cref="ClassCount"/>-1.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Creates a data set, checking that every image has the right size and every label is a class index.</summary>
    /// <param name="images">One array of <paramref name="height"/> * <paramref name="width"/> pixels per image.</param>
    /// <param name="labels">One class index per image.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="classCount">Number of classes; when null, the largest label + 1.</param>
    public ImageDataset(IReadOnlyList<float[]> images, IReadOnlyList<int> labels, int height, int width, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        if (images.Count != labels.Count)
            throw new ArgumentException($"{images.Count} images but {labels.Count} labels.", nameof(labels));
        if (images.Count == 0)
            throw new ArgumentException("The data set is empty.", nameof(images));
        for (int i = 0; i < images.Count; i++)
        {
            if (images[i] is null || images[i].Length != height * width)
                throw new ArgumentException($"Image {i} has {images[i]?.Length ?? 0} values, expected {height * width} ({height}x{width}).", nameof(images));
            if (labels[i] < 0)
                throw new ArgumentException($"Label {i} is negative ({labels[i]}).", nameof(labels));
        }
        int count = classCount ?? labels.Max() + 1;
        if (count < 2)
            throw new ArgumentException("A classifier needs at least 2 classes.", nameof(classCount));
        if (labels.Max() >= count)
            throw new ArgumentException($"Label {labels.Max()} is not below the class count {count}.", nameof(labels));
        Images = images;
        Labels = labels;
        Height = height;
        Width = width;
        ClassCount = count;
    }

    /// <summary>The images, row-major, 0-255 scale.</summary>
    public IReadOnlyList<float[]> Images { get; }

    /// <summary>The class index of each image.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Number of classes (K).</summary>
    public int ClassCount { get; }

    /// <summary>Number of images.</summary>
    public int Count => Images.Count;

    /// <summary>The images at the given positions, as a new data set with the same class count.</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new ImageDataset(
            indices.Select(i => Images[i]).ToArray(), indices.Select(i => Labels[i]).ToArray(), Height, Width, ClassCount);
    }
}
