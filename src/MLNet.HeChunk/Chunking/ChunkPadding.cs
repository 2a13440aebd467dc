namespace MLNet.HeChunk.Chunking;

/// <summary>
/// What to do when the chunk size does not divide the image size. No choice ever drops pixels: the grid is
/// always large enough to hold the whole image.
/// </summary>
public enum ChunkPadding
{
    /// <summary>Refuse: the grid (and so the estimator) is rejected with an error that names both sizes.
    /// The default, because padding changes what a chunk contains and should be asked for.</summary>
    None = 0,

    /// <summary>Extend the image to the next multiple of the chunk size with zeros (black).</summary>
    Zero = 1,

    /// <summary>Extend the image by repeating its last row and last column, which adds no artificial edge.</summary>
    ReplicateEdge = 2,
}
