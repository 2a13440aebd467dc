namespace MLNet.HeChunk.Chunking;

/// <summary>Options of <c>SplitChunks</c>: the chunk layout (default 28 x 28 chunks of a square image, no padding).</summary>
public sealed class ChunkSplittingOptions : ChunkLayoutOptions
{
}
