namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>The object kind byte of the serialized header; the values are part of the format and never change.</summary>
internal enum SerializedKind : byte
{
    Parameters = 1,
    Plaintext = 2,
    Ciphertext = 3,
    PublicKey = 4,
    RelinearizationKey = 5,
    GaloisKeys = 6,
    SecretKey = 7,
}
