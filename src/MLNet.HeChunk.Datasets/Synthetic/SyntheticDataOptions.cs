namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// What to generate: image size, images per class and the seed. The defaults mirror NEU-CLS
/// (200 x 200 pixels, 300 images per class). Options are plain values; <see cref="Validate"/>
/// checks them, and the generator calls it before doing any work.
/// </summary>
public sealed record SyntheticDataOptions
{
    /// <summary>Smallest accepted width or height: below it the defect marks no longer fit.</summary>
    public const int MinimumSize = 32;

    /// <summary>Largest accepted width or height.</summary>
    public const int MaximumSize = 4096;

    /// <summary>Image width in pixels (default 200).</summary>
    public int Width { get; init; } = 200;

    /// <summary>Image height in pixels (default 200).</summary>
    public int Height { get; init; } = 200;

    /// <summary>Images per class (default 300, as in NEU-CLS); they are numbered 1..ImagesPerClass.</summary>
    public int ImagesPerClass { get; init; } = 300;

    /// <summary>
    /// The seed. Image n of a class depends only on (seed, class, n, width, height): never on
    /// <see cref="ImagesPerClass"/> or on how many threads generate the set.
    /// </summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Threads to use; -1 (default) means as many as the runtime sees fit. Has no effect on the output.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Total number of images: six classes times <see cref="ImagesPerClass"/>.</summary>
    public int TotalImages => SteelDefectClasses.Count * ImagesPerClass;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public void Validate()
    {
        CheckRange(Width, MinimumSize, MaximumSize, nameof(Width));
        CheckRange(Height, MinimumSize, MaximumSize, nameof(Height));
        CheckRange(ImagesPerClass, 1, int.MaxValue / SteelDefectClasses.Count, nameof(ImagesPerClass));
        if (MaxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Must be -1 (unlimited) or a positive thread count.");
        }
    }

    private static void CheckRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }
    }
}
