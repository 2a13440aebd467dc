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
    /// <param name="descriptors">Optional texture descriptors (<c>TextureFeatures</c>), one array of equal length per image; the chunk CNN
    /// trains its descriptor head on them.</param>
    public ImageDataset(IReadOnlyList<float[]> images, IReadOnlyList<int> labels, int height, int width, int? classCount = null,
        IReadOnlyList<float[]>? descriptors = null)
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
        if (descriptors is not null)
        {
            if (descriptors.Count != images.Count)
                throw new ArgumentException($"{images.Count} images but {descriptors.Count} descriptor vectors.", nameof(descriptors));
            int length = descriptors[0]?.Length ?? 0;
            for (int i = 0; i < descriptors.Count; i++)
            {
                if (descriptors[i] is null || descriptors[i].Length != length || length == 0)
                    throw new ArgumentException($"Descriptor vector {i} has {descriptors[i]?.Length ?? 0} values; all must have the first's {length} (> 0).", nameof(descriptors));
                if (descriptors[i].Any(v => !float.IsFinite(v)))
                    throw new ArgumentException($"Descriptor vector {i} holds a NaN or infinite value.", nameof(descriptors));
            }
        }
        Descriptors = descriptors;
        Images = images;
        Labels = labels;
        Height = height;
        Width = width;
        ClassCount = count;
    }

    /// <summary>The images, row-major, 0-255 scale.</summary>
    public IReadOnlyList<float[]> Images { get; }

    /// <summary>The texture descriptors of each image, or null when the data set has none.</summary>
    public IReadOnlyList<float[]>? Descriptors { get; }

    /// <summary>Number of descriptors per image (0 when there are none).</summary>
    public int DescriptorCount => Descriptors?[0].Length ?? 0;

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
            indices.Select(i => Images[i]).ToArray(), indices.Select(i => Labels[i]).ToArray(), Height, Width, ClassCount,
            Descriptors is null ? null : indices.Select(i => Descriptors[i]).ToArray());
    }
}
