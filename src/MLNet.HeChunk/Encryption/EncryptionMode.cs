namespace MLNet.HeChunk.Encryption;

/// <summary>What the client encrypts of each image (the paper's three settings, compared in its Table 2).</summary>
public enum EncryptionMode
{
    /// <summary>
    /// The paper's full method: chunks the Sobel gate marks as features are encrypted, the others travel as
    /// plaintext. The server sees the non-feature chunks and which chunks are features.
    /// </summary>
    FeatureChunks = 0,

    /// <summary>Every chunk is encrypted (the paper's "incomplete" method); the server sees no pixel.</summary>
    AllChunks = 1,

    /// <summary>
    /// The whole image is encrypted as one raster vector without chunking (the paper's generic baseline). This mode
    /// exists to compare encryption cost; the encrypted chunk CNN cannot score it, because the raster packing would
    /// need a server-side re-packing that chunk packing avoids.
    /// </summary>
    WholeImage = 2,
}
