using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.HeChunk.Chunking;

/// <summary>
/// Reads and writes the chunk grid as a column annotation, so a downstream consumer can discover the layout of a
/// chunk vector from the schema alone. The annotation is a <c>Vector&lt;Int32, 5&gt;</c> holding
/// [ImageHeight, ImageWidth, ChunkHeight, ChunkWidth, Padding].
/// </summary>
/// <remarks>
/// ML.NET drops annotations of a CustomMapping column when it reloads a model by itself; models loaded through
/// <see cref="Persistence.HeChunkModel.Load(MLContext, string, out DataViewSchema)"/> are rebuilt from their saved
/// options and carry the annotation again. <see cref="Persistence.HeChunkModel.FindChunkGrid"/> is the
/// schema-independent way to get the grid from a model.
/// </remarks>
public static class ChunkGridAnnotation
{
    /// <summary>The annotation kind.</summary>
    public const string Kind = "HeChunk.ChunkGrid";

    private const int Length = 5;

    private static readonly VectorDataViewType AnnotationType = new(NumberDataViewType.Int32, Length);

    /// <summary>Reads the grid from <paramref name="column"/>'s annotations; false when it carries none.</summary>
    public static bool TryGet(DataViewSchema.Column column, out ChunkGrid? grid)
    {
        grid = null;
        var kind = column.Annotations.Schema.GetColumnOrNull(Kind);
        if (kind is null || !kind.Value.Type.Equals(AnnotationType))
            return false;
        VBuffer<int> value = default;
        column.Annotations.GetValue(Kind, ref value);
        var v = value.DenseValues().ToArray();
        grid = new ChunkGrid(v[0], v[1], v[2], v[3], (ChunkPadding)v[4]);
        return true;
    }

    /// <summary>Attaches the grid to an output column definition of a CustomMapping.</summary>
    /// <remarks>A null grid (before fitting, when only the shape matters) writes zeros.</remarks>
    internal static void AddTo(SchemaDefinition.Column column, ChunkGrid? grid)
    {
        var values = grid is null ? new int[Length] : new[] { grid.ImageHeight, grid.ImageWidth, grid.ChunkHeight, grid.ChunkWidth, (int)grid.Padding };
        column.AddAnnotation(Kind, new VBuffer<int>(Length, values), AnnotationType);
    }
}
