namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>
/// Serialized CKKS data was refused: wrong magic or version, another object kind, a parameter-set fingerprint that
/// differs from the given parameters, a length that does not match the contents, a residue not below its prime, an
/// out-of-range level, scale or Galois element, truncation or trailing bytes. The message names the problem. It is the
/// only exception the read and import methods of <see cref="CkksSerializer"/> throw for bad data.
/// </summary>
public sealed class CkksFormatException : Exception
{
    /// <summary>Creates the exception with the reason the data was refused.</summary>
    public CkksFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the reason the data was refused and the lower-level cause.</summary>
    public CkksFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
