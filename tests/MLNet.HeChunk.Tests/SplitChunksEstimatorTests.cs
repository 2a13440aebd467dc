using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Tests;

public class SplitChunksEstimatorTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void WorkoutOnASquareImageWithTheDefaultLayout()
    {
        var data = TestData.Pixels(_ml, TestData.Positional(56, 56), TestData.Random(new Random(3), 56 * 56));
        var transformer = (Transforms.ChunkSplittingTransformer)EstimatorWorkout.Run(_ml, _ml.Transforms.SplitChunks("Chunks", "Pixels"), data, "Chunks");
        Assert.Equal(new ChunkGrid(56, 56, 28, 28), transformer.Grid);
        var output = transformer.Transform(data);
        Assert.Equal(4 * 784, ((VectorDataViewType)output.Schema["Chunks"].Type).Size);
        Assert.True(ChunkGridAnnotation.TryGet(output.Schema["Chunks"], out var grid));
        Assert.Equal(transformer.Grid, grid);
        // Chunk 1 (top-right) starts at image pixel (0, 28).
        Assert.Equal(28f, TestData.ReadFloats(output, "Chunks")[0][784]);
    }

    [Fact]
    public void WorkoutOnANonSquarePaddedLayout()
    {
        var options = new ChunkSplittingOptions { ImageHeight = 30, ImageWidth = 20, ChunkHeight = 28, ChunkWidth = 6, Padding = ChunkPadding.ReplicateEdge };
        var data = TestData.Pixels(_ml, TestData.Positional(30, 20));
        var transformer = (Transforms.ChunkSplittingTransformer)EstimatorWorkout.Run(_ml, _ml.Transforms.SplitChunks("Chunks", "Pixels", options), data, "Chunks");
        Assert.Equal((2, 4), (transformer.Grid.Rows, transformer.Grid.Columns));
    }

    [Fact]
    public void GridIsDiscoverableFromTheModelAndTheSchemaAfterReload()
    {
        var data = TestData.Pixels(_ml, TestData.Positional(56, 56));
        var model = _ml.Transforms.EqualizeHistogram("Pixels")
            .Append(_ml.Transforms.SplitChunks("Chunks", "Pixels"))
            .Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"hechunk-{Guid.NewGuid():N}.zip");
        try
        {
            HeChunkModel.Save(_ml, model, data.Schema, path);
            var loaded = HeChunkModel.Load(new MLContext(), path, out _);
            Assert.Equal(new ChunkGrid(56, 56, 28, 28), HeChunkModel.FindChunkGrid(loaded));
            Assert.Equal(new ChunkGrid(56, 56, 28, 28), HeChunkModel.FindChunkGrid(loaded, "Chunks"));
            Assert.True(ChunkGridAnnotation.TryGet(loaded.GetOutputSchema(data.Schema)["Chunks"], out var fromSchema));
            Assert.Equal(new ChunkGrid(56, 56, 28, 28), fromSchema);
            Assert.Throws<InvalidOperationException>(() => HeChunkModel.FindChunkGrid(loaded, "NoSuchColumn"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void InvalidInputFailsEarlyNamingColumnExpectedAndFound()
    {
        var sized = _ml.Transforms.SplitChunks("Chunks", "Pixels", new ChunkSplittingOptions { ImageHeight = 56, ImageWidth = 56 });
        var missing = TestData.Pixels(_ml, 4, [[1, 2, 3, 4]], column: "Image");
        EstimatorWorkout.FailsNaming(() => sized.GetOutputSchema(SchemaAssert.ShapeOf(missing.Schema)), "Pixels", "Vector<Single, 3136>", "no such column");

        var text = _ml.Data.LoadFromEnumerable([new { Pixels = "not pixels" }]);
        EstimatorWorkout.FailsNaming(() => sized.GetOutputSchema(SchemaAssert.ShapeOf(text.Schema)), "Pixels", "Vector<Single, 3136>", "String");

        // Wrong size: the schema shape cannot show sizes, so Fit is the first place that can.
        var wrongSize = TestData.Pixels(_ml, 100, [new float[100]]);
        EstimatorWorkout.FailsNaming(() => sized.Fit(wrongSize), "Pixels", "Vector<Single, 3136> (56 x 56 image)", "Vector<Single, 100>");

        // Inferred square: 120 pixels is no square; 20 x 20 is smaller than a 28 x 28 chunk.
        var inferred = _ml.Transforms.SplitChunks("Chunks", "Pixels");
        EstimatorWorkout.FailsNaming(() => inferred.Fit(TestData.Pixels(_ml, 120, [new float[120]])), "Pixels", "square grayscale image", "Vector<Single, 120>");
        EstimatorWorkout.FailsNaming(() => inferred.Fit(TestData.Pixels(_ml, 400, [new float[400]])), "Pixels", "28 x 28", "20 x 20");

        // Options that cannot work are refused when the estimator is made, before any data.
        Assert.Throws<ArgumentException>(() => _ml.Transforms.SplitChunks("Chunks", "Pixels",
            new ChunkSplittingOptions { ImageHeight = 112, ImageWidth = 112, ChunkWidth = 26 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.SplitChunks("Chunks", "Pixels",
            new ChunkSplittingOptions { ImageHeight = 20, ImageWidth = 20 }));
        Assert.Throws<ArgumentException>(() => _ml.Transforms.SplitChunks("Chunks", "Pixels", new ChunkSplittingOptions { ImageHeight = 20 }));
    }

    [Fact]
    public void NaNPixelIsRejectedAtTransformTime()
    {
        var transformer = _ml.Transforms.SplitChunks("Chunks", "Pixels", new ChunkSplittingOptions { ChunkHeight = 2, ChunkWidth = 2 })
            .Fit(TestData.Pixels(_ml, [1, 2, 3, 4]));
        EstimatorWorkout.RejectsNaNAtTransformTime(transformer, TestData.Pixels(_ml, [1, 2, float.NaN, 4]), "Chunks", "Pixels");
    }

    [Fact]
    public void OptionsEditedAfterwardsDoNotChangeTheEstimator()
    {
        var options = new ChunkSplittingOptions { ChunkHeight = 2, ChunkWidth = 2 };
        var estimator = _ml.Transforms.SplitChunks("Chunks", "Pixels", options);
        options.ChunkHeight = 1;
        var transformer = estimator.Fit(TestData.Pixels(_ml, [1, 2, 3, 4]));
        Assert.Equal(2, transformer.Grid.ChunkHeight);
    }
}
