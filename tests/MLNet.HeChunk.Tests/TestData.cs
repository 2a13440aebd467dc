using MLNet.HeChunk.Chunking;

namespace MLNet.HeChunk.Tests;

/// <summary>Small in-memory data views and value readers shared by the tests.</summary>
internal static class TestData
{
    public sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];
    }

    /// <summary>A view with one known-size column "Pixels" (or <paramref name="column"/>) holding the given images.</summary>
    public static IDataView Pixels(MLContext ml, int length, IEnumerable<float[]> images, string column = "Pixels")
    {
        var definition = SchemaDefinition.Create(typeof(PixelRow));
        definition[0].ColumnName = column;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return ml.Data.LoadFromEnumerable(images.Select(p => new PixelRow { Pixels = p }).ToList(), definition);
    }

    public static IDataView Pixels(MLContext ml, params float[][] images) => Pixels(ml, images[0].Length, images);

    public static float[] Random(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (float)random.Next(256)).ToArray();

    /// <summary>An image whose pixel value encodes its position, so any misplacement is visible.</summary>
    public static float[] Positional(int height, int width) =>
        Enumerable.Range(0, height * width).Select(i => (float)i).ToArray();

    /// <summary>Every value of a column, one array per row (float or int cells as objects; a byte vector or a key as one cell).</summary>
    public static List<object[]> Read(IDataView view, string column)
    {
        var col = view.Schema[column];
        var rows = new List<object[]>();
        using var cursor = view.GetRowCursor([col]);
        if (col.Type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(col);
            VBuffer<float> value = default;
            while (cursor.MoveNext()) { getter(ref value); rows.Add(value.DenseValues().Cast<object>().ToArray()); }
        }
        else if (col.Type is VectorDataViewType { ItemType: var item2 } && item2 == NumberDataViewType.Int32)
        {
            var getter = cursor.GetGetter<VBuffer<int>>(col);
            VBuffer<int> value = default;
            while (cursor.MoveNext()) { getter(ref value); rows.Add(value.DenseValues().Cast<object>().ToArray()); }
        }
        else if (col.Type is VectorDataViewType { ItemType: var item3 } && item3 == NumberDataViewType.Byte)
        {
            var getter = cursor.GetGetter<VBuffer<byte>>(col);
            VBuffer<byte> value = default;
            while (cursor.MoveNext()) { getter(ref value); rows.Add([value.DenseValues().ToArray()]); }
        }
        else if (col.Type is KeyDataViewType)
        {
            var getter = cursor.GetGetter<uint>(col);
            uint value = 0;
            while (cursor.MoveNext()) { getter(ref value); rows.Add([value]); }
        }
        else
        {
            throw new NotSupportedException($"Column '{column}' of type {col.Type} is not readable by the tests.");
        }
        return rows;
    }

    public static float[][] ReadFloats(IDataView view, string column) =>
        [.. Read(view, column).Select(r => r.Cast<float>().ToArray())];

    public static int[][] ReadInts(IDataView view, string column) =>
        [.. Read(view, column).Select(r => r.Cast<int>().ToArray())];

    public static ChunkGrid Grid(int h, int w, int ch, int cw, ChunkPadding padding = ChunkPadding.None) => new(h, w, ch, cw, padding);
}
