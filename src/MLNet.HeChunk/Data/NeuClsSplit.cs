using System.Globalization;
using System.Text.RegularExpressions;

namespace MLNet.HeChunk.Data;

/// <summary>
/// The NEU-CLS train/test split used for every reported figure: an image whose file name ends in <c>_n</c> is a
/// test image when n % 4 == 1 (75 per class, 450 images), a training image otherwise (225 per class, 1350).
/// The one byte-identical pair in the data, Pa_101 and Pa_105, both fall in test, so no test image is also a
/// training image. Carve any validation set out of the training part. The same rule on a file name that is only a
/// number (<c>n.ext</c>) is X-SDD's published split, so both forms are read.
/// </summary>
public static partial class NeuClsSplit
{
    /// <summary>Whether <paramref name="imagePath"/> (…/Class_n.ext) is a test image.</summary>
    /// <exception cref="FormatException">The file name does not end in <c>_n</c>.</exception>
    public static bool IsTest(string imagePath) => IsTestNumber(ImageNumber(imagePath));

    /// <summary>The rule itself, on the image number n: a test image when n % 4 == 1 (images 1, 5, 9, ...).</summary>
    public static bool IsTestNumber(int number) => number % 4 == 1;

    /// <summary>The number n of a file named <c>Class_n.ext</c>.</summary>
    /// <exception cref="FormatException">The file name does not end in <c>_n</c>.</exception>
    public static int ImageNumber(string imagePath) =>
        TryGetImageNumber(imagePath, out int n)
            ? n
            : throw new FormatException($"'{imagePath}' is not named <Class>_<n>.<ext>; the NEU-CLS split needs the image number n.");

    /// <summary>Reads n from a file named <c>Class_n.ext</c> or <c>n.ext</c>; false when the name has no such number.</summary>
    public static bool TryGetImageNumber(string imagePath, out int number)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        var match = NumberSuffix().Match(Path.GetFileNameWithoutExtension(imagePath));
        number = 0;
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Splits samples into the training and test parts, keeping their order.</summary>
    /// <exception cref="FormatException">A file name does not end in <c>_n</c>.</exception>
    public static (IReadOnlyList<ImageFolderSample> Train, IReadOnlyList<ImageFolderSample> Test) Split(IEnumerable<ImageFolderSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var train = new List<ImageFolderSample>();
        var test = new List<ImageFolderSample>();
        foreach (var sample in samples)
            (IsTest(sample.ImagePath) ? test : train).Add(sample);
        return (train, test);
    }

    /// <summary>Scans <paramref name="folder"/> (see <see cref="ImageFolderDataset"/>) and splits it into two data views.</summary>
    public static (IDataView Train, IDataView Test) Load(MLContext mlContext, string folder)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var (train, test) = Split(ImageFolderDataset.Scan(folder));
        return (mlContext.Data.LoadFromEnumerable(train), mlContext.Data.LoadFromEnumerable(test));
    }

    [GeneratedRegex(@"(?:^|_)(\d+)$")]
    private static partial Regex NumberSuffix();
}
