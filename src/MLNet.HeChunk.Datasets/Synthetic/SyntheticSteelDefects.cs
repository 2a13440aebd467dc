using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// A deterministic, procedurally generated stand-in for NEU-CLS: six classes of steel-surface
/// defect textures on a noisy metal background, 8-bit grayscale. The same options give
/// byte-identical images on every run and platform. See docs/synthetic-data.md for what each
/// class looks like and how hard the set is.
/// </summary>
public static class SyntheticSteelDefects
{
    /// <summary>
    /// Generates image <paramref name="number"/> (1-based) of <paramref name="defectClass"/> with the
    /// size and seed of <paramref name="options"/>; <see cref="SyntheticDataOptions.ImagesPerClass"/>
    /// is not consulted, so numbers beyond it are allowed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option, the class or the number is out of range.</exception>
    public static GrayImage GenerateImage(SteelDefectClass defectClass, int number, SyntheticDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckClass(defectClass);
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return DefectImageComposer.Compose(defectClass, number, options.Width, options.Height, options.Seed);
    }

    /// <summary>
    /// Generates the whole set in memory: for each class in label order, images 1..ImagesPerClass.
    /// Images are generated in parallel; the result does not depend on the thread count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static IReadOnlyList<LabeledImage> Generate(SyntheticDataOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var images = new LabeledImage[options.TotalImages];
        Parallel.For(0, images.Length, ParallelOptionsFor(options, cancellationToken), i =>
        {
            (SteelDefectClass defectClass, int number) = Locate(i, options.ImagesPerClass);
            GrayImage image = DefectImageComposer.Compose(defectClass, number, options.Width, options.Height, options.Seed);
            images[i] = new LabeledImage(image, defectClass, number);
        });
        return images;
    }

    /// <summary>
    /// Generates the set and writes it in the NEU-CLS layout, <c>directory/Code/Code_n.bmp</c>
    /// (see <see cref="NeuClsLayout"/>), as 8-bit BMP files like the originals. Creates the folders
    /// as needed and replaces files of the same names; other files are left alone.
    /// </summary>
    /// <param name="directory">Root folder of the set.</param>
    /// <param name="options">What to generate.</param>
    /// <param name="progress">Receives the number of images written so far after each image, if given.</param>
    /// <param name="cancellationToken">Stops the writing between images.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static void WriteTo(
        string directory, SyntheticDataOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        foreach (SteelDefectClass defectClass in SteelDefectClasses.All)
        {
            Directory.CreateDirectory(Path.Combine(directory, SteelDefectClasses.ToCode(defectClass)));
        }

        int written = 0;
        Parallel.For(0, options.TotalImages, ParallelOptionsFor(options, cancellationToken), i =>
        {
            (SteelDefectClass defectClass, int number) = Locate(i, options.ImagesPerClass);
            GrayImage image = DefectImageComposer.Compose(defectClass, number, options.Width, options.Height, options.Seed);
            BmpWriter.WriteFile(image, NeuClsLayout.GetPath(directory, defectClass, number));
            int count = Interlocked.Increment(ref written);
            progress?.Report(count);
        });
    }

    private static (SteelDefectClass DefectClass, int Number) Locate(int index, int imagesPerClass) =>
        ((SteelDefectClass)(index / imagesPerClass), (index % imagesPerClass) + 1);

    private static ParallelOptions ParallelOptionsFor(SyntheticDataOptions options, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };

    private static void CheckClass(SteelDefectClass defectClass)
    {
        if ((uint)defectClass >= SteelDefectClasses.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(defectClass), defectClass, "Not a defined steel defect class.");
        }
    }
}
