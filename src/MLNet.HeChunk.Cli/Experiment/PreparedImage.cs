using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>One image after the client pipeline.</summary>
/// <param name="Path">The image file.</param>
/// <param name="Label">Its class name.</param>
/// <param name="ClassIndex">Its class as 0..K-1 (ordinal order of the class names).</param>
/// <param name="Pixels">The equalized 112 x 112 pixels, row-major, 0-255.</param>
/// <param name="Chunks">The same pixels chunk-major.</param>
/// <param name="ChunkIndex">The gate's signed index: +i for a feature chunk, -i otherwise.</param>
/// <param name="ChunkScores">The gate's score of each chunk.</param>
/// <param name="Descriptors">The texture descriptors of the resized colour image (TextureFeatures).</param>
internal sealed record PreparedImage(string Path, string Label, int ClassIndex, float[] Pixels, float[] Chunks, int[] ChunkIndex, float[] ChunkScores, float[] Descriptors)
{
    /// <summary>How many chunks the gate marked as features.</summary>
    public int FeatureChunkCount => ChunkIndex.Count(i => i > 0);

    /// <summary>The trainers' view of prepared images: equalized pixels, class indices and descriptors.</summary>
    public static Training.ImageDataset ToDataset(IReadOnlyList<PreparedImage> images, int classCount) =>
        new([.. images.Select(i => i.Pixels)], [.. images.Select(i => i.ClassIndex)], ClientPipeline.ImageSide, ClientPipeline.ImageSide, classCount,
            [.. images.Select(i => i.Descriptors)]);

    /// <summary>
    /// The client pipeline's output columns as an ML.NET data view (Label as text, Chunks, ChunkIndex and Descriptors as
    /// known-size vectors): what the fitted <c>PrepareChunks</c> writes, kept in memory so that training, plaintext and
    /// encrypted scoring read the same rows without decoding the images again.
    /// </summary>
    public static IDataView ToDataView(MLContext ml, IReadOnlyList<PreparedImage> images)
    {
        PreparedImage first = images[0];
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Chunks)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, first.Chunks.Length);
        schema[nameof(Row.ChunkIndex)].ColumnType = new VectorDataViewType(NumberDataViewType.Int32, first.ChunkIndex.Length);
        schema[nameof(Row.Descriptors)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, first.Descriptors.Length);
        return ml.Data.LoadFromEnumerable(images.Select(i => new Row { Label = i.Label, Chunks = i.Chunks, ChunkIndex = i.ChunkIndex, Descriptors = i.Descriptors }).ToList(), schema);
    }

    /// <summary>A row of <see cref="ToDataView"/>; the column names are the client pipeline's.</summary>
    private sealed class Row
    {
        public string Label { get; set; } = "";

        public float[] Chunks { get; set; } = [];

        public int[] ChunkIndex { get; set; } = [];

        public float[] Descriptors { get; set; } = [];
    }
}
