using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Tests;

public class EqualizeHistogramEstimatorTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void Workout()
    {
        var random = new Random(1);
        var data = TestData.Pixels(_ml, TestData.Random(random, 64), TestData.Random(random, 64), [0, 0, 100, 200, .. new float[60]]);
        var transformer = EstimatorWorkout.Run(_ml, _ml.Transforms.EqualizeHistogram("Equalized", "Pixels"), data, "Equalized");
        var rows = TestData.ReadFloats(transformer.Transform(data), "Equalized");
        Assert.Equal(3, rows.Length);
        Assert.All(rows, r => Assert.Equal(255f, r.Max()));
    }

    [Fact]
    public void InPlaceByDefault()
    {
        var estimator = _ml.Transforms.EqualizeHistogram("Pixels");
        Assert.Equal("Pixels", estimator.InputColumnName);
        var output = estimator.Fit(TestData.Pixels(_ml, [0, 0, 100, 200])).Transform(TestData.Pixels(_ml, [0, 0, 100, 200]));
        Assert.Equal([0f, 0f, 128f, 255f], TestData.ReadFloats(output, "Pixels")[0]);
    }

    [Fact]
    public void InvalidInputFailsEarlyNamingColumnExpectedAndFound()
    {
        var estimator = _ml.Transforms.EqualizeHistogram("Out", "Pixels");
        var missing = TestData.Pixels(_ml, 4, [[1, 2, 3, 4]], column: "Other");
        EstimatorWorkout.FailsNaming(() => estimator.GetOutputSchema(SchemaAssert.ShapeOf(missing.Schema)), "Pixels", "Vector<Single>", "no such column");
        EstimatorWorkout.FailsNaming(() => estimator.Fit(missing), "Pixels", "Vector<Single>", "no such column");

        var scalar = _ml.Data.LoadFromEnumerable([new { Pixels = 1f }]);
        EstimatorWorkout.FailsNaming(() => estimator.GetOutputSchema(SchemaAssert.ShapeOf(scalar.Schema)), "Pixels", "known-size Vector<Single>", "Single");
        EstimatorWorkout.FailsNaming(() => estimator.Fit(scalar), "Pixels", "known-size Vector<Single>", "Single");

        var variable = _ml.Data.LoadFromEnumerable([new TestData.PixelRow { Pixels = [1, 2] }]);
        EstimatorWorkout.FailsNaming(() => estimator.GetOutputSchema(SchemaAssert.ShapeOf(variable.Schema)), "Pixels", "known-size", "unknown size");

        // A fitted transformer refuses a vector of another size.
        var transformer = estimator.Fit(TestData.Pixels(_ml, 4, [[1, 2, 3, 4]]));
        EstimatorWorkout.FailsNaming(() => transformer.Transform(TestData.Pixels(_ml, 9, [new float[9]])), "Pixels", "Vector<Single, 4>", "Vector<Single, 9>");
    }

    [Fact]
    public void NaNPixelIsRejectedAtTransformTime()
    {
        var transformer = _ml.Transforms.EqualizeHistogram("Out", "Pixels").Fit(TestData.Pixels(_ml, [1, 2, 3, 4]));
        EstimatorWorkout.RejectsNaNAtTransformTime(transformer, TestData.Pixels(_ml, [1, float.NaN, 3, 4]), "Out", "Pixels");
        Assert.IsType<HistogramEqualizingTransformer>(transformer);
    }
}
