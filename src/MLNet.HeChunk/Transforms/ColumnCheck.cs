using Microsoft.ML.Data;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Input-column checks shared by the estimators and transformers. Every failure is an
/// <see cref="ArgumentOutOfRangeException"/> on the schema parameter (as ML.NET's own schema mismatches are) whose
/// message names the column, what was expected and what was found.
/// </summary>
internal static class ColumnCheck
{
    /// <summary>Pipeline-time check: the column exists and is a known-size vector of Single.</summary>
    public static void RequireSingleVector(SchemaShape inputSchema, string column, string expected)
    {
        var matches = inputSchema.Where(c => c.Name == column).ToList();
        if (matches.Count == 0)
            throw Mismatch(nameof(inputSchema), column, expected, "no such column" + Available(inputSchema.Select(c => c.Name)));
        var found = matches[^1];
        if (found.Kind != SchemaShape.Column.VectorKind.Vector || found.ItemType != NumberDataViewType.Single || found.IsKey)
            throw Mismatch(nameof(inputSchema), column, expected, Describe(found));
    }

    /// <summary>Fit/transform-time check: the column exists and is a known-size vector of Single; returns its size.</summary>
    public static int RequireSingleVector(DataViewSchema inputSchema, string column, string expected, int? size = null)
    {
        var found = inputSchema.GetColumnOrNull(column)
            ?? throw Mismatch(nameof(inputSchema), column, expected, "no such column" + Available(inputSchema.Where(c => !c.IsHidden).Select(c => c.Name)));
        if (found.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw Mismatch(nameof(inputSchema), column, expected, found.Type.ToString() ?? found.Type.GetType().Name);
        if (size is int s && vector.Size != s)
            throw Mismatch(nameof(inputSchema), column, expected, found.Type.ToString() ?? found.Type.GetType().Name);
        return vector.Size;
    }

    public static ArgumentOutOfRangeException Mismatch(string parameter, string column, string expected, string found) =>
        new(parameter, $"Column '{column}': expected {expected}; found {found}.");

    private static string Describe(SchemaShape.Column column)
    {
        string item = column.IsKey ? $"Key<{column.ItemType}>" : column.ItemType.ToString() ?? column.ItemType.GetType().Name;
        return column.Kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => item,
            SchemaShape.Column.VectorKind.VariableVector => $"Vector<{item}> of unknown size",
            _ => $"Vector<{item}>",
        };
    }

    private static string Available(IEnumerable<string> names)
    {
        var list = names.Distinct().ToList();
        return list.Count == 0 ? "" : $" (columns: {string.Join(", ", list)})";
    }
}
