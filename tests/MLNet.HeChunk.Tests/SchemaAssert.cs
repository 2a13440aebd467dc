using System.Reflection;
using MLNet.HeChunk.Chunking;

namespace MLNet.HeChunk.Tests;

/// <summary>Schema comparisons for the estimator workouts.</summary>
internal static class SchemaAssert
{
    // ML.NET keeps SchemaShape.Create(DataViewSchema) internal; the tests need it to feed GetOutputSchema the
    // shape of a real schema, exactly as EstimatorChain does.
    private static readonly MethodInfo CreateShape = typeof(SchemaShape).GetMethod(
        "Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)])
        ?? throw new MissingMethodException(nameof(SchemaShape), "Create");

    public static SchemaShape ShapeOf(DataViewSchema schema) => (SchemaShape)CreateShape.Invoke(null, [schema])!;

    /// <summary>The promised shape lists the same columns (name, vector kind, item type, key-ness, annotation
    /// names) as the schema the transformer produced.</summary>
    public static void ShapeMatches(SchemaShape promised, DataViewSchema produced)
    {
        var actual = ShapeOf(produced);
        Assert.Equal(Describe(actual), Describe(promised));
    }

    /// <summary>Same visible columns, with equal names, types (including vector sizes) and annotations.</summary>
    public static void Equal(DataViewSchema expected, DataViewSchema actual)
    {
        Assert.Equal(Describe(expected), Describe(actual));
        foreach (var column in expected.Where(c => !c.IsHidden))
        {
            bool hasGrid = ChunkGridAnnotation.TryGet(column, out var grid);
            bool otherHasGrid = ChunkGridAnnotation.TryGet(actual[column.Name], out var otherGrid);
            Assert.Equal(hasGrid, otherHasGrid);
            Assert.Equal(grid, otherGrid);
        }
    }

    private static string[] Describe(SchemaShape shape) =>
        [.. shape.Select(c => $"{c.Name}:{c.Kind}:{c.ItemType}:{c.IsKey}:[{string.Join(",", c.Annotations.Select(a => a.Name))}]").Order()];

    private static string[] Describe(DataViewSchema schema) =>
        [.. schema.Where(c => !c.IsHidden)
            .Select(c => $"{c.Name}:{c.Type}:[{string.Join(",", c.Annotations.Schema.Select(a => $"{a.Name}:{a.Type}"))}]").Order()];
}
