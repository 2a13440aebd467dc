using Microsoft.ML.Data;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Builds the ML.NET CustomMapping transformer that does a suite transformer's row work. ML.NET exposes that
/// transformer only through <c>CustomMappingEstimator.Fit</c>; fitting on an empty view of the input columns gives
/// it without reading data, which is also how a transformer is rebuilt when a saved model is loaded.
/// </summary>
internal static class CustomMappingBuilder
{
    public static ITransformer Build<TSrc, TDst>(
        TransformsCatalog catalog, Action<TSrc, TDst> map, string contractName, SchemaDefinition input, SchemaDefinition output)
        where TSrc : class, new()
        where TDst : class, new()
    {
        var estimator = catalog.CustomMapping(map, contractName, input, output);
        var schema = new DataViewSchema.Builder();
        foreach (var column in input)
            schema.AddColumn(column.ColumnName, column.ColumnType);
        return estimator.Fit(new EmptyDataView(schema.ToSchema()));
    }

    /// <summary>A schema definition for <typeparamref name="T"/> with the single column renamed and typed.</summary>
    public static SchemaDefinition Define<T>(params (string Member, string ColumnName, DataViewType Type)[] columns)
    {
        var definition = SchemaDefinition.Create(typeof(T));
        foreach (var (member, name, type) in columns)
        {
            var column = definition.Single(c => c.MemberName == member);
            column.ColumnName = name;
            column.ColumnType = type;
        }
        return definition;
    }
}
