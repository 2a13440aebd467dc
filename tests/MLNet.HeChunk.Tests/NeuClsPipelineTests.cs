using Microsoft.ML.Transforms.Image;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Tests;

/// <summary>The client pipeline of the issue on real NEU-CLS BMP files, two images per class to stay cheap.</summary>
public class NeuClsPipelineTests
{
    private readonly MLContext _ml = new(seed: 1);

    internal static IEstimator<ITransformer> ClientPipeline(MLContext ml) =>
        ml.Transforms.PrepareChunks(nameof(ImageFolderSample.ImagePath));

    [SkippableFact]
    public void ClientPipelineOnRealImagesGivesTheDocumentedShapesAndRanges()
    {
        var folder = NeuClsLocator.Require();
        var samples = ImageFolderDataset.Scan(folder);
        Assert.Equal(1800, samples.Count);
        Assert.Equal(["Cr", "In", "PS", "Pa", "RS", "Sc"], samples.Select(s => s.Label).Distinct());
        var subset = samples.GroupBy(s => s.Label).SelectMany(g => g.Take(2)).ToList();
        var data = _ml.Data.LoadFromEnumerable(subset);

        var model = ClientPipeline(_ml).Fit(data);
        var output = model.Transform(data);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 112 * 112), output.Schema["Pixels"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 16 * 28 * 28), output.Schema["Chunks"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int32, 16), output.Schema["ChunkIndex"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 16), output.Schema["ChunkScores"].Type);

        var pixels = TestData.ReadFloats(output, "Pixels");
        var chunks = TestData.ReadFloats(output, "Chunks");
        var index = TestData.ReadInts(output, "ChunkIndex");
        var scores = TestData.ReadFloats(output, "ChunkScores");
        for (int row = 0; row < subset.Count; row++)
        {
            // Equalized: integer levels spanning the whole 0-255 range.
            Assert.Equal(0f, pixels[row].Min());
            Assert.Equal(255f, pixels[row].Max());
            Assert.All(pixels[row], p => Assert.Equal(MathF.Round(p), p));
            // Chunks are a permutation of the pixels (no padding at 112 / 28).
            Assert.Equal(pixels[row].Order(), chunks[row].Order());
            // Index i = 1..16 in order, sign given by score > 100; scores on 0-255.
            for (int k = 0; k < 16; k++)
            {
                Assert.Equal(k + 1, Math.Abs(index[row][k]));
                Assert.InRange(scores[row][k], 0f, 255f);
                Assert.Equal(scores[row][k] > 100, index[row][k] > 0);
            }
        }

        // The whole pipeline, ImageAnalytics transforms included, survives save/load.
        using var stream = new MemoryStream();
        HeChunkModel.Save(_ml, model, data.Schema, stream);
        stream.Position = 0;
        var reloaded = HeChunkModel.Load(new MLContext(), stream, out _).Transform(data);
        Assert.Equal(TestData.ReadInts(output, "ChunkIndex"), TestData.ReadInts(reloaded, "ChunkIndex"));
        Assert.Equal(TestData.ReadFloats(output, "Chunks"), TestData.ReadFloats(reloaded, "Chunks"));
    }

    [SkippableFact]
    public void ThreeChannelExtractionIsRefusedWithAHint()
    {
        var samples = ImageFolderDataset.Scan(NeuClsLocator.Require()).Take(1).ToList();
        var data = _ml.Data.LoadFromEnumerable(samples);
        var pipeline = _ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: nameof(ImageFolderSample.ImagePath))
            .Append(_ml.Transforms.ResizeImages("Image", 112, 112))
            .Append(_ml.Transforms.ConvertToGrayscale("Image"))
            .Append(_ml.Transforms.ExtractPixels("Pixels", "Image"))
            .Append(_ml.Transforms.SplitChunks("Chunks", "Pixels"));
        EstimatorWorkout.FailsNaming(() => pipeline.Fit(data), "Pixels", "square grayscale image", "Vector<Single, 3, 112, 112>");
        Assert.Contains("ColorBits.Red", Assert.ThrowsAny<ArgumentException>(() => pipeline.Fit(data)).Message);
    }

    [SkippableFact]
    public void NeuClsSplitHas75TestImagesPerClass()
    {
        var (train, test) = NeuClsSplit.Split(ImageFolderDataset.Scan(NeuClsLocator.Require()));
        Assert.Equal(1350, train.Count);
        Assert.Equal(450, test.Count);
        Assert.All(test.GroupBy(s => s.Label), g => Assert.Equal(75, g.Count()));
        Assert.Contains(test, s => s.ImagePath.EndsWith("Pa_101.bmp", StringComparison.Ordinal));
        Assert.Contains(test, s => s.ImagePath.EndsWith("Pa_105.bmp", StringComparison.Ordinal));
    }
}
