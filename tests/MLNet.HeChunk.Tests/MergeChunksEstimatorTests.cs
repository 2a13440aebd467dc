using MLNet.HeChunk.Chunking;

namespace MLNet.HeChunk.Tests;

public class MergeChunksEstimatorTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void Workout()
    {
        var grid = new ChunkGrid(8, 8, 4, 2);
        var chunks = new float[grid.VectorLength];
        grid.Split(TestData.Positional(8, 8), chunks);
        var data = TestData.Pixels(_ml, chunks.Length, [chunks], column: "Chunks");
        var options = new ChunkMergingOptions();
        options.UseGrid(grid);
        var transformer = EstimatorWorkout.Run(_ml, _ml.Transforms.MergeChunks("Image", "Chunks", options), data, "Image");
        Assert.Equal(TestData.Positional(8, 8), TestData.ReadFloats(transformer.Transform(data), "Image")[0]);
    }

    [Fact]
    public void SplitThenMergePipelineIsTheIdentityOverRandomLayouts()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 12; trial++)
        {
            int h = 2 + random.Next(40), w = 2 + random.Next(40);
            var options = new ChunkSplittingOptions
            {
                ImageHeight = h, ImageWidth = w,
                ChunkHeight = 1 + random.Next(h), ChunkWidth = 1 + random.Next(w),
                Padding = (ChunkPadding)(1 + random.Next(2)),
            };
            var images = Enumerable.Range(0, 3).Select(_ => TestData.Random(random, h * w)).ToArray();
            var data = TestData.Pixels(_ml, h * w, images);
            var splitter = _ml.Transforms.SplitChunks("Chunks", "Pixels", options).Fit(data);
            var mergeOptions = new ChunkMergingOptions();
            mergeOptions.UseGrid(splitter.Grid);
            var pipeline = _ml.Transforms.SplitChunks("Chunks", "Pixels", options)
                .Append(_ml.Transforms.MergeChunks("Restored", "Chunks", mergeOptions));
            var restored = TestData.ReadFloats(pipeline.Fit(data).Transform(data), "Restored");
            Assert.Equal(images, restored);
        }
    }

    [Fact]
    public void InvalidInputFailsEarlyNamingColumnExpectedAndFound()
    {
        var options = new ChunkMergingOptions();
        options.UseGrid(new ChunkGrid(8, 8, 4, 4));
        var estimator = _ml.Transforms.MergeChunks("Image", "Chunks", options);
        var missing = TestData.Pixels(_ml, 64, [new float[64]], column: "Pixels");
        EstimatorWorkout.FailsNaming(() => estimator.GetOutputSchema(SchemaAssert.ShapeOf(missing.Schema)), "Chunks", "Vector<Single, 64>", "no such column");
        EstimatorWorkout.FailsNaming(() => estimator.Fit(TestData.Pixels(_ml, 60, [new float[60]], column: "Chunks")), "Chunks",
            "Vector<Single, 64> (4 chunks of 4 x 4)", "Vector<Single, 60>");
        var e = Assert.Throws<ArgumentException>(() => _ml.Transforms.MergeChunks("Image", "Chunks", new ChunkMergingOptions { Padding = ChunkPadding.Zero }));
        Assert.Contains("ImageHeight", e.Message);
    }

    [Fact]
    public void NaNIsRejectedAtTransformTime()
    {
        var transformer = _ml.Transforms.MergeChunks("Image", "Chunks", new ChunkMergingOptions { ChunkHeight = 2, ChunkWidth = 2 })
            .Fit(TestData.Pixels(_ml, 4, [new float[4]], column: "Chunks"));
        EstimatorWorkout.RejectsNaNAtTransformTime(transformer, TestData.Pixels(_ml, 4, [[0, float.NaN, 0, 0]], column: "Chunks"), "Image", "Chunks");
    }
}
