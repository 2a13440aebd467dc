using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// The checks every estimator of the suite must pass (after ML.NET's own estimator workout): the promised
/// shape matches what the transformer produces, the transformer's GetOutputSchema matches Transform, a
/// save -> load in a fresh MLContext gives the same schema and values, and plain Model.Load refuses with a
/// message naming HeChunkModel.Load.
/// </summary>
internal static class EstimatorWorkout
{
    public static ITransformer Run<T>(MLContext ml, IEstimator<T> estimator, IDataView data, params string[] outputColumns)
        where T : class, ITransformer
        => Run(ml, estimator, data, null, outputColumns);

    /// <summary>The workout for a model that needs the client's key set to load (it is passed to HeChunkModel.Load).</summary>
    public static ITransformer Run<T>(MLContext ml, IEstimator<T> estimator, IDataView data, Encryption.HeChunkKeys? keys, params string[] outputColumns)
        where T : class, ITransformer
    {
        var promised = estimator.GetOutputSchema(SchemaAssert.ShapeOf(data.Schema));
        var transformer = estimator.Fit(data);
        var transformed = transformer.Transform(data);
        SchemaAssert.ShapeMatches(promised, transformed.Schema);
        SchemaAssert.Equal(transformer.GetOutputSchema(data.Schema), transformed.Schema);

        var path = Path.Combine(Path.GetTempPath(), $"hechunk-{Guid.NewGuid():N}.zip");
        try
        {
            HeChunkModel.Save(ml, transformer, data.Schema, path);

            var fresh = new MLContext(seed: 1);
            var loaded = HeChunkModel.Load(fresh, path, out var savedSchema, keys);
            SchemaAssert.Equal(data.Schema, savedSchema);
            Assert.IsType<T>(loaded);
            var reloaded = loaded.Transform(data);
            SchemaAssert.Equal(transformed.Schema, reloaded.Schema);
            foreach (var column in outputColumns)
                Assert.Equal(TestData.Read(transformed, column), TestData.Read(reloaded, column));

            var plain = Assert.ThrowsAny<Exception>(() => new MLContext().Model.Load(path, out _));
            Assert.IsType<InvalidOperationException>(plain.GetBaseException());
            Assert.Contains("HeChunkModel.Load", plain.GetBaseException().Message);
        }
        finally
        {
            File.Delete(path);
        }
        return transformer;
    }

    /// <summary>Asserts an <see cref="ArgumentOutOfRangeException"/> whose message names column, expected and found.</summary>
    public static void FailsNaming(Action action, string column, string expected, string found)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Contains($"'{column}'", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains(found, e.Message);
    }

    /// <summary>Reading <paramref name="column"/> fails with an <see cref="InvalidDataException"/> naming the NaN.</summary>
    public static void RejectsNaNAtTransformTime(ITransformer transformer, IDataView withNaN, string column, string inputColumn)
    {
        var transformed = transformer.Transform(withNaN); // lazy: the schema alone cannot show a NaN
        var e = Assert.ThrowsAny<Exception>(() => TestData.Read(transformed, column));
        var inner = e as InvalidDataException ?? e.GetBaseException();
        Assert.IsType<InvalidDataException>(inner);
        Assert.Contains("NaN", inner.Message);
        Assert.Contains($"'{inputColumn}'", inner.Message);
    }
}
