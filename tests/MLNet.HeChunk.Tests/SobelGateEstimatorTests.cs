using MLNet.HeChunk.Gating;

namespace MLNet.HeChunk.Tests;

public class SobelGateEstimatorTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static float[] LeftHalfStriped()
    {
        // 56 x 56, 2 x 2 chunks of 28: chunks 0 and 2 (left column) striped, chunks 1 and 3 flat.
        var image = new float[56 * 56];
        for (int r = 0; r < 56; r++)
            for (int c = 0; c < 28; c++)
                image[r * 56 + c] = c % 4 < 2 ? 0 : 255;
        return image;
    }

    [Fact]
    public void Workout()
    {
        var data = TestData.Pixels(_ml, LeftHalfStriped(), TestData.Random(new Random(5), 56 * 56));
        var transformer = EstimatorWorkout.Run(_ml, _ml.Transforms.SobelGate("ChunkIndex", "Pixels"), data, "ChunkIndex", "ChunkScores");
        var output = transformer.Transform(data);
        Assert.Equal([1, -2, 3, -4], TestData.ReadInts(output, "ChunkIndex")[0]);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int32, 4), output.Schema["ChunkIndex"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 4), output.Schema["ChunkScores"].Type);
    }

    [Fact]
    public void WorkoutWithEveryOptionSet()
    {
        var options = new SobelGateOptions
        {
            ImageHeight = 56, ImageWidth = 56, ChunkHeight = 28, ChunkWidth = 14,
            Statistic = ChunkStatistic.FractionAbove, FractionLevel = 50, Threshold = 0.5, Scale = GradientScale.Raw,
            ScoresColumnName = "Scores",
        };
        var data = TestData.Pixels(_ml, LeftHalfStriped());
        var transformer = (Transforms.SobelGateTransformer)EstimatorWorkout.Run(
            _ml, _ml.Transforms.SobelGate("Gate", "Pixels", options), data, "Gate", "Scores");
        Assert.Equal((ChunkStatistic.FractionAbove, GradientScale.Raw, 0.5, 50.0), (transformer.Statistic, transformer.Scale, transformer.Threshold, transformer.FractionLevel));
        Assert.Equal([1, 2, -3, -4, 5, 6, -7, -8], TestData.ReadInts(transformer.Transform(data), "Gate")[0]);
    }

    [Fact]
    public void InvalidInputFailsEarlyNamingColumnExpectedAndFound()
    {
        var estimator = _ml.Transforms.SobelGate("ChunkIndex", "Pixels");
        var missing = TestData.Pixels(_ml, 4, [[1, 2, 3, 4]], column: "Chunks");
        EstimatorWorkout.FailsNaming(() => estimator.GetOutputSchema(SchemaAssert.ShapeOf(missing.Schema)), "Pixels", "Vector<Single>", "no such column");
        var scalar = _ml.Data.LoadFromEnumerable([new { Pixels = 3.0 }]);
        EstimatorWorkout.FailsNaming(() => estimator.Fit(scalar), "Pixels", "known-size Vector<Single>", "Double");
        EstimatorWorkout.FailsNaming(() => estimator.Fit(TestData.Pixels(_ml, 27 * 27, [new float[27 * 27]])), "Pixels", "28 x 28", "27 x 27");

        var fitted = estimator.Fit(TestData.Pixels(_ml, LeftHalfStriped()));
        EstimatorWorkout.FailsNaming(() => fitted.GetOutputSchema(TestData.Pixels(_ml, 28 * 28, [new float[784]]).Schema),
            "Pixels", "Vector<Single, 3136> (56 x 56 image)", "Vector<Single, 784>");
    }

    [Theory]
    [InlineData(ChunkStatistic.FractionAbove, GradientScale.Clip255, 100)]   // fractions never exceed 1
    [InlineData(ChunkStatistic.Mean, GradientScale.Clip255, 255)]            // saturated magnitudes never exceed 255
    [InlineData(ChunkStatistic.Max, GradientScale.Raw, 1500)]
    public void ThresholdNoScoreCanExceedIsRefused(ChunkStatistic statistic, GradientScale scale, double threshold)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.SobelGate("ChunkIndex", "Pixels",
            new SobelGateOptions { Statistic = statistic, Scale = scale, Threshold = threshold }));
        Assert.Contains("can never be exceeded", e.Message);
    }

    [Fact]
    public void ScoreColumnMustDifferFromTheIndexColumn() =>
        Assert.Throws<ArgumentException>(() => _ml.Transforms.SobelGate("ChunkScores", "Pixels"));

    [Fact]
    public void NaNPixelIsRejectedAtTransformTime()
    {
        var transformer = _ml.Transforms.SobelGate("ChunkIndex", "Pixels").Fit(TestData.Pixels(_ml, LeftHalfStriped()));
        var bad = LeftHalfStriped();
        bad[1000] = float.NaN;
        EstimatorWorkout.RejectsNaNAtTransformTime(transformer, TestData.Pixels(_ml, bad), "ChunkIndex", "Pixels");
    }
}
