using System.Text.RegularExpressions;

namespace MLNet.HeChunk.Data;

/// <summary>
/// Lists a folder of labelled images: either one subfolder per class (the NEU-CLS layout, and any folder-per-class
/// image set of other sizes or class counts) or a flat folder of <c>&lt;Class&gt;_&lt;n&gt;.bmp</c> files (how NEU-CLS is
/// usually distributed). The layout is detected: subfolders holding images win; top-level images are then an error,
/// since their class would be ambiguous.
/// </summary>
/// <remarks>
/// Image files are recognised by extension (.bmp, .png, .jpg, .jpeg, case-insensitive) and each header is checked by
/// <see cref="Imaging.ImageHeaderReader"/> (signature, dimensions against the pixel limit, bit depth, completeness),
/// so a damaged, truncated or bomb-sized file fails here in microseconds, naming the file, and never reaches a decoder. Folders whose names start with '.' are ignored. Samples are ordered
/// by label, then by the number in the file name when there is one, then by name, so the order is the same on
/// every machine.
/// </remarks>
public static partial class ImageFolderDataset
{
    /// <summary>File extensions treated as images.</summary>
    public static IReadOnlyCollection<string> ImageExtensions { get; } = [".bmp", ".png", ".jpg", ".jpeg"];

    /// <summary>Loads the folder as an <see cref="IDataView"/> of (ImagePath, Label) text columns.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No images, a single class, an empty class folder, an unlabelled or unreadable file.</exception>
    public static IDataView Load(MLContext mlContext, string folder)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return mlContext.Data.LoadFromEnumerable(Scan(folder));
    }

    /// <summary>Lists the folder's samples (see the class remarks for layout, checks and order).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No images, a single class, an empty class folder, an unlabelled or unreadable file.</exception>
    public static IReadOnlyList<ImageFolderSample> Scan(string folder) => Scan(folder, out _);

    /// <summary>Lists the folder's samples and reports the layout found.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No images, a single class, an empty class folder, an unlabelled or unreadable file.</exception>
    public static IReadOnlyList<ImageFolderSample> Scan(string folder, out ImageFolderLayout layout) => Scan(folder, null, out layout);

    /// <summary>Lists the folder's samples, checking every image's header against <paramref name="limits"/> (null: <see cref="Imaging.ImageLimits.Default"/>).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No images, a single class, an empty class folder, an unlabelled, unreadable,
    /// truncated or oversized file (the message names it).</exception>
    public static IReadOnlyList<ImageFolderSample> Scan(string folder, Imaging.ImageLimits? limits, out ImageFolderLayout layout)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Image folder '{folder}' does not exist.");
        folder = Path.GetFullPath(folder);

        var topImages = ImagesIn(folder);
        var classFolders = Directory.EnumerateDirectories(folder)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Select(d => (Path: d, Images: ImagesIn(d)))
            .ToList();
        var samples = new List<ImageFolderSample>();

        if (classFolders.Any(c => c.Images.Count > 0))
        {
            if (topImages.Count > 0)
                throw new InvalidDataException(
                    $"Image folder '{folder}' holds both class subfolders and {topImages.Count} image(s) at its top level (e.g. '{Path.GetFileName(topImages[0])}'), whose class is ambiguous.");
            var empty = classFolders.FirstOrDefault(c => c.Images.Count == 0);
            if (empty.Path is not null)
                throw new InvalidDataException($"Class folder '{empty.Path}' holds no image files ({string.Join(", ", ImageExtensions)}).");
            layout = ImageFolderLayout.ClassSubfolders;
            foreach (var (path, images) in classFolders)
                samples.AddRange(images.Select(i => new ImageFolderSample { ImagePath = i, Label = Path.GetFileName(path) }));
        }
        else if (topImages.Count > 0)
        {
            layout = ImageFolderLayout.FlatPrefixed;
            foreach (var image in topImages)
            {
                var match = PrefixedName().Match(Path.GetFileNameWithoutExtension(image));
                if (!match.Success)
                    throw new InvalidDataException(
                        $"'{image}' in a flat image folder must be named <Class>_<n>{Path.GetExtension(image)} so its class can be read from the name.");
                samples.Add(new ImageFolderSample { ImagePath = image, Label = match.Groups["label"].Value });
            }
        }
        else
        {
            throw new InvalidDataException(
                $"Image folder '{folder}' holds no image files ({string.Join(", ", ImageExtensions)}), neither at its top level nor in class subfolders.");
        }

        var classes = samples.Select(s => s.Label).Distinct(StringComparer.Ordinal).ToList();
        if (classes.Count < 2)
            throw new InvalidDataException($"Image folder '{folder}' holds a single class ('{classes[0]}'); classification needs at least two.");

        foreach (var sample in samples)
            Imaging.ImageHeaderReader.Read(sample.ImagePath, limits);

        return [.. samples
            .OrderBy(s => s.Label, StringComparer.Ordinal)
            .ThenBy(s => NeuClsSplit.TryGetImageNumber(s.ImagePath, out int n) ? n : int.MaxValue)
            .ThenBy(s => s.ImagePath, StringComparer.Ordinal)];
    }

    private static List<string> ImagesIn(string folder) =>
        [.. Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"^(?<label>.+)_(?<n>\d+)$")]
    private static partial Regex PrefixedName();
}
