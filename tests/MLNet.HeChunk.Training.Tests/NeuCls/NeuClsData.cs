using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests.NeuCls;

/// <summary>
/// Loads NEU-CLS (class folders or one flat folder of &lt;Class&gt;_&lt;n&gt;.bmp) through the library's own client
/// pipeline (<c>PrepareChunks</c>: 112 x 112, grayscale, histogram equalization, texture descriptors), the one
/// preprocessing path of the command line and every measurement, and splits it as the data README says: test when
/// n % 4 == 1, train otherwise.
/// </summary>
internal sealed class NeuClsData
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
        var ml = new MLContext(1);
        IReadOnlyList<ImageFolderSample> samples = ImageFolderDataset.Scan(root);
        string[] classNames = [.. samples.Select(s => s.Label).Distinct().Order(StringComparer.Ordinal)];
        var (train, test) = NeuClsSplit.Split(samples);
        ITransformer client = ml.Transforms.PrepareChunks(nameof(ImageFolderSample.ImagePath)).Fit(ml.Data.LoadFromEnumerable(train));
        ImageDataset Prepare(IReadOnlyList<ImageFolderSample> part)
        {
            IDataView view = client.Transform(ml.Data.LoadFromEnumerable(part));
            float[][] pixels = [.. view.GetColumn<VBuffer<float>>("Pixels").Select(v => v.DenseValues().ToArray())];
            float[][] descriptors = [.. view.GetColumn<VBuffer<float>>("Descriptors").Select(v => v.DenseValues().ToArray())];
            int[] labels = [.. part.Select(s => Array.IndexOf(classNames, s.Label))];
            return new ImageDataset(pixels, labels, Size, Size, classNames.Length, descriptors);
        }

        return new NeuClsData(Prepare(train), Prepare(test), classNames);
    }
}
