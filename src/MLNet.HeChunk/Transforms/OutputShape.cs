using Microsoft.ML.Data;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Builds the <see cref="SchemaShape"/> an estimator promises. SchemaShape columns cannot be constructed outside
/// ML.NET, so the shape is asked of a CustomMapping estimator with the same row types and schema definitions as
/// the transformer will use: the promised shape is then by construction the one the transformer produces.
/// </summary>
internal static class OutputShape
{
    public static SchemaShape Of<TSrc, TDst>(TransformsCatalog catalog, SchemaShape input, SchemaDefinition inputDefinition, SchemaDefinition outputDefinition)
        where TSrc : class, new()
        where TDst : class, new()
        => catalog.CustomMapping<TSrc, TDst>((_, _) => { }, null, inputDefinition, outputDefinition).GetOutputSchema(input);

    /// <summary>A known-size vector type; before fitting the size may be unknown, and a shape only keeps the vector kind.</summary>
    public static VectorDataViewType Vector(PrimitiveDataViewType item, int? size) => new(item, size ?? 1);
}
