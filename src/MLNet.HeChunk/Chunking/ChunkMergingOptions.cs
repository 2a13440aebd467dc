namespace MLNet.HeChunk.Chunking;

/// <summary>
/// Options of <c>MergeChunks</c>: the layout the chunks were cut with. Without <see cref="ChunkLayoutOptions.ImageHeight"/>
/// and <see cref="ChunkLayoutOptions.ImageWidth"/> the image is taken to be square and unpadded, so its pixel count
/// equals the chunk vector's length; a padded layout needs the image size.
/// </summary>
public sealed class ChunkMergingOptions : ChunkLayoutOptions
{
}
