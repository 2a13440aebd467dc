using System.Text.RegularExpressions;
using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests.NeuCls;

/// <summary>
/// Loads NEU-CLS (class folders or one flat folder of &lt;Class&gt;_&lt;n&gt;.bmp), preprocesses each image
/// to 112 x 112 histogram-equalized grayscale and splits it as the data README says:
/// test when n % 4 == 1, train otherwise.
/// </summary>
internal sealed partial class NeuClsData
{
    public const int Size = 112;

    private NeuClsData(ImageDataset train, ImageDataset test, IReadOnlyList<string> classNames)
    {
        Train = train;
        Test = test;
        ClassNames = classNames;
    }

    public ImageDataset Train { get; }

    public ImageDataset Test { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public static NeuClsData Load(string root)
    {
        var files = Directory.EnumerateFiles(root, "*.bmp", SearchOption.AllDirectories)
            .Select(path => (path, match: FileName().Match(Path.GetFileName(path))))
            .Where(f => f.match.Success)
            .Select(f => (f.path, cls: f.match.Groups[1].Value, n: int.Parse(f.match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(f => f.cls, StringComparer.Ordinal).ThenBy(f => f.n)
            .ToArray();
        if (files.Length == 0)
            throw new InvalidOperationException($"No <Class>_<n>.bmp files under {root}.");
        string[] classNames = files.Select(f => f.cls).Distinct().Order(StringComparer.Ordinal).ToArray();
        var processed = new float[files.Length][];
        Parallel.For(0, files.Length, i =>
        {
            byte[] gray = BmpReader.ReadGray(files[i].path, out int w, out int h);
            processed[i] = ImagePreprocessing.EqualizeHistogram(ImagePreprocessing.ResizeArea(gray, w, h, Size, Size));
        });
        var trainImages = new List<float[]>();
        var trainLabels = new List<int>();
        var testImages = new List<float[]>();
        var testLabels = new List<int>();
        for (int i = 0; i < files.Length; i++)
        {
            int label = Array.IndexOf(classNames, files[i].cls);
            if (files[i].n % 4 == 1)
            {
                testImages.Add(processed[i]);
                testLabels.Add(label);
            }
            else
            {
                trainImages.Add(processed[i]);
                trainLabels.Add(label);
            }
        }
        return new NeuClsData(
            new ImageDataset(trainImages, trainLabels, Size, Size, classNames.Length),
            new ImageDataset(testImages, testLabels, Size, Size, classNames.Length),
            classNames);
    }

    [GeneratedRegex(@"^([A-Za-z]+)_(\d+)\.bmp$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();
}
