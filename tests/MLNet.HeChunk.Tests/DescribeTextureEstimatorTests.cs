using MLNet.HeChunk.Imaging;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Tests;

/// <summary>The DescribeTexture estimator: schema workout, early refusals, values equal to TextureFeatures.</summary>
public class DescribeTextureEstimatorTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void WorkoutAndValues()
    {
        var random = new Random(2);
        float[] a = TestData.Random(random, 3 * 16 * 16), b = TestData.Random(random, 3 * 16 * 16);
        var data = TestData.Pixels(_ml, a, b);
        var transformer = EstimatorWorkout.Run(_ml, _ml.Transforms.DescribeTexture("Descriptors", "Pixels"), data, "Descriptors");
        float[][] rows = TestData.ReadFloats(transformer.Transform(data), "Descriptors");
        Assert.Equal(TextureFeatures.Compute(a, 3, 16, 16), rows[0]);
        Assert.Equal(TextureFeatures.Compute(b, 3, 16, 16), rows[1]);
        Assert.Equal(16, ((TextureDescribingTransformer)transformer).Side);
    }

    [Fact]
    public void InvalidInputFailsEarlyNamingColumnExpectedAndFound()
    {
        var estimator = _ml.Transforms.DescribeTexture("Descriptors", "Pixels");
        var missing = TestData.Pixels(_ml, 4, [[1, 2, 3, 4]], column: "Other");
        EstimatorWorkout.FailsNaming(() => estimator.GetOutputSchema(SchemaAssert.ShapeOf(missing.Schema)), "Pixels", "Vector<Single>", "no such column");
        EstimatorWorkout.FailsNaming(() => estimator.Fit(missing), "Pixels", "Vector<Single>", "no such column");
        // 100 values are not three square planes.
        Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(TestData.Pixels(_ml, 100, [new float[100]])));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.DescribeTexture("D", "Pixels", channels: 2));
    }

    [Fact]
    public void NaNPixelIsRejectedAtTransformTime()
    {
        var transformer = _ml.Transforms.DescribeTexture("Out", "Pixels", channels: 1).Fit(TestData.Pixels(_ml, new float[100]));
        float[] withNaN = new float[100];
        withNaN[7] = float.NaN;
        EstimatorWorkout.RejectsNaNAtTransformTime(transformer, TestData.Pixels(_ml, withNaN), "Out", "Pixels");
    }
}
