namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>
/// Reads and writes CKKS parameters, plaintexts, ciphertexts and public evaluation keys in a versioned, checked
/// binary format (layout on <see cref="FormatHeader"/> and in docs/serialization.md). Residues are bit-packed to
/// their prime's width, and seeded objects (public key, key-switching keys, fresh secret-key ciphertexts) store a
/// 32-byte seed instead of their uniform polynomial.
/// </summary>
/// <remarks>
/// Every read checks the data completely before returning and throws <see cref="CkksFormatException"/>, and only
/// that, for bad data: wrong magic, version or kind, another parameter set's fingerprint, inconsistent lengths,
/// unreduced residues, out-of-range fields, truncation, and (for byte-span input) trailing bytes. Null arguments throw
/// <see cref="ArgumentNullException"/>, and an I/O failure of the stream itself (other than its end) propagates.
/// A stream read consumes exactly one object, so objects may be written one after another into one stream.
/// The secret key has no <c>Write</c> overload on purpose: it leaves memory only through
/// <see cref="ExportSecretKey(Stream, SecretKey)"/>, whose name says what it does.
/// </remarks>
public static class CkksSerializer
{
    /// <summary>The format version written; every version from 1 up to it is read.</summary>
    public const int FormatVersion = FormatHeader.CurrentVersion;

    /// <summary>Bytes of the header in front of every object's payload.</summary>
    public const int HeaderSize = FormatHeader.Size;

    private delegate T PayloadReader<T>(FormatReader reader, FormatHeader header, CkksParameters parameters);

    // ---- Sizes ----------------------------------------------------------------------------------------------

    /// <summary>Exact serialized size of <paramref name="parameters"/> in bytes.</summary>
    public static long GetSerializedSize(CkksParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return HeaderSize + PayloadCodec.ParametersLength(parameters);
    }

    /// <summary>Exact serialized size of <paramref name="plaintext"/> in bytes.</summary>
    public static long GetSerializedSize(Plaintext plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return HeaderSize + PayloadCodec.PlaintextLength(plaintext);
    }

    /// <summary>
    /// Exact serialized size of <paramref name="ciphertext"/> in bytes: about half for a fresh secret-key encryption,
    /// whose second component is stored as its seed (deciding that costs one seed expansion, as in the write).
    /// </summary>
    public static long GetSerializedSize(Ciphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        return HeaderSize + PayloadCodec.CiphertextLength(ciphertext, PayloadCodec.CanStoreSeeded(ciphertext));
    }

    /// <summary>Exact serialized size of <paramref name="publicKey"/> in bytes.</summary>
    public static long GetSerializedSize(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return HeaderSize + PayloadCodec.PublicKeyLength(publicKey);
    }

    /// <summary>Exact serialized size of <paramref name="relinearizationKey"/> in bytes.</summary>
    public static long GetSerializedSize(RelinearizationKey relinearizationKey)
    {
        ArgumentNullException.ThrowIfNull(relinearizationKey);
        return HeaderSize + PayloadCodec.RelinearizationKeyLength(relinearizationKey);
    }

    /// <summary>Exact serialized size of <paramref name="galoisKeys"/> in bytes.</summary>
    public static long GetSerializedSize(GaloisKeys galoisKeys)
    {
        ArgumentNullException.ThrowIfNull(galoisKeys);
        return HeaderSize + PayloadCodec.GaloisKeysLength(galoisKeys);
    }

    // ---- Writing --------------------------------------------------------------------------------------------

    /// <summary>Writes <paramref name="parameters"/> as their explicit literal (LogN, primes, log2 scale, security mode).</summary>
    public static void Write(Stream stream, CkksParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parameters);
        CheckWritable(parameters);
        WriteObject(stream, SerializedKind.Parameters, parameters.Fingerprint, PayloadCodec.ParametersLength(parameters),
            writer => PayloadCodec.WriteParameters(writer, parameters));
    }

    /// <summary>Writes <paramref name="plaintext"/>.</summary>
    public static void Write(Stream stream, Plaintext plaintext)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(plaintext);
        CheckWritable(plaintext.Parameters);
        WriteObject(stream, SerializedKind.Plaintext, plaintext.Parameters.Fingerprint, PayloadCodec.PlaintextLength(plaintext),
            writer => PayloadCodec.WritePlaintext(writer, plaintext));
    }

    /// <summary>Writes <paramref name="ciphertext"/>, seeded (about half size) when it is a fresh secret-key encryption.</summary>
    public static void Write(Stream stream, Ciphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(ciphertext);
        WriteCiphertext(stream, ciphertext, PayloadCodec.CanStoreSeeded(ciphertext));
    }

    /// <summary>Writes <paramref name="publicKey"/> as its b polynomial and the seed of a.</summary>
    public static void Write(Stream stream, PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(publicKey);
        CheckWritable(publicKey.Parameters);
        WriteObject(stream, SerializedKind.PublicKey, publicKey.Parameters.Fingerprint, PayloadCodec.PublicKeyLength(publicKey),
            writer => PayloadCodec.WritePublicKey(writer, publicKey));
    }

    /// <summary>Writes <paramref name="relinearizationKey"/> as its b polynomials and one seed.</summary>
    public static void Write(Stream stream, RelinearizationKey relinearizationKey)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(relinearizationKey);
        CheckWritable(relinearizationKey.Parameters);
        WriteObject(stream, SerializedKind.RelinearizationKey, relinearizationKey.Parameters.Fingerprint,
            PayloadCodec.RelinearizationKeyLength(relinearizationKey), writer => PayloadCodec.WriteRelinearizationKey(writer, relinearizationKey));
    }

    /// <summary>Writes <paramref name="galoisKeys"/>, each key as its b polynomials and one seed, in ascending Galois element order.</summary>
    public static void Write(Stream stream, GaloisKeys galoisKeys)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(galoisKeys);
        CheckWritable(galoisKeys.Parameters);
        WriteObject(stream, SerializedKind.GaloisKeys, galoisKeys.Parameters.Fingerprint, PayloadCodec.GaloisKeysLength(galoisKeys),
            writer => PayloadCodec.WriteGaloisKeys(writer, galoisKeys));
    }

    /// <summary>The serialized bytes of <paramref name="parameters"/>.</summary>
    public static byte[] ToBytes(CkksParameters parameters) => ToBytes(GetSerializedSize(parameters), stream => Write(stream, parameters));

    /// <summary>The serialized bytes of <paramref name="plaintext"/>.</summary>
    public static byte[] ToBytes(Plaintext plaintext) => ToBytes(GetSerializedSize(plaintext), stream => Write(stream, plaintext));

    /// <summary>The serialized bytes of <paramref name="ciphertext"/> (seeded when it is a fresh secret-key encryption).</summary>
    public static byte[] ToBytes(Ciphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        bool seeded = PayloadCodec.CanStoreSeeded(ciphertext);
        return ToBytes(HeaderSize + PayloadCodec.CiphertextLength(ciphertext, seeded), stream => WriteCiphertext(stream, ciphertext, seeded));
    }

    /// <summary>The serialized bytes of <paramref name="publicKey"/>.</summary>
    public static byte[] ToBytes(PublicKey publicKey) => ToBytes(GetSerializedSize(publicKey), stream => Write(stream, publicKey));

    /// <summary>The serialized bytes of <paramref name="relinearizationKey"/>.</summary>
    public static byte[] ToBytes(RelinearizationKey relinearizationKey)
        => ToBytes(GetSerializedSize(relinearizationKey), stream => Write(stream, relinearizationKey));

    /// <summary>The serialized bytes of <paramref name="galoisKeys"/>.</summary>
    public static byte[] ToBytes(GaloisKeys galoisKeys) => ToBytes(GetSerializedSize(galoisKeys), stream => Write(stream, galoisKeys));

    // ---- Reading --------------------------------------------------------------------------------------------

    /// <summary>
    /// Reads a parameter set and re-validates it with <see cref="CkksParameters.Create"/>. A set marked
    /// <see cref="SecurityMode.InsecureForTestingOnly"/> is refused unless <paramref name="accepted"/> names that mode,
    /// and a ring larger than N x primes = 2^21 words is refused before any table is built.
    /// </summary>
    /// <param name="stream">The stream, positioned at the object.</param>
    /// <param name="accepted">The weakest security the caller accepts; the default refuses sets below 128-bit security.</param>
    /// <exception cref="CkksFormatException">The data is not a valid serialized parameter set, or the set it holds is refused.</exception>
    public static CkksParameters ReadParameters(Stream stream, SecurityMode accepted = SecurityMode.Require128Bit)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, null, SerializedKind.Parameters, null, ParametersPayloadReader(accepted));
    }

    /// <summary>Reads a parameter set from exactly the bytes of one object (see <see cref="ReadParameters(Stream, SecurityMode)"/>).</summary>
    /// <exception cref="CkksFormatException">The data is not a valid serialized parameter set, or the set it holds is refused.</exception>
    public static CkksParameters ReadParameters(ReadOnlySpan<byte> data, SecurityMode accepted = SecurityMode.Require128Bit)
        => Read(data, SerializedKind.Parameters, null, ParametersPayloadReader(accepted));

    /// <summary>Reads a plaintext made for <paramref name="parameters"/>.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid plaintext for these parameters.</exception>
    public static Plaintext ReadPlaintext(Stream stream, CkksParameters parameters) => Read(stream, parameters, SerializedKind.Plaintext, PayloadCodec.ReadPlaintext);

    /// <summary>Reads a plaintext made for <paramref name="parameters"/> from exactly the bytes of one object.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid plaintext for these parameters.</exception>
    public static Plaintext ReadPlaintext(ReadOnlySpan<byte> data, CkksParameters parameters)
        => Read(data, SerializedKind.Plaintext, RequireParameters(parameters), PayloadCodec.ReadPlaintext);

    /// <summary>Reads a ciphertext made for <paramref name="parameters"/> (a seeded one is expanded again).</summary>
    /// <exception cref="CkksFormatException">The data is not a valid ciphertext for these parameters.</exception>
    public static Ciphertext ReadCiphertext(Stream stream, CkksParameters parameters) => Read(stream, parameters, SerializedKind.Ciphertext, PayloadCodec.ReadCiphertext);

    /// <summary>Reads a ciphertext made for <paramref name="parameters"/> from exactly the bytes of one object.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid ciphertext for these parameters.</exception>
    public static Ciphertext ReadCiphertext(ReadOnlySpan<byte> data, CkksParameters parameters)
        => Read(data, SerializedKind.Ciphertext, RequireParameters(parameters), PayloadCodec.ReadCiphertext);

    /// <summary>Reads a public key made for <paramref name="parameters"/>.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid public key for these parameters.</exception>
    public static PublicKey ReadPublicKey(Stream stream, CkksParameters parameters) => Read(stream, parameters, SerializedKind.PublicKey, PayloadCodec.ReadPublicKey);

    /// <summary>Reads a public key made for <paramref name="parameters"/> from exactly the bytes of one object.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid public key for these parameters.</exception>
    public static PublicKey ReadPublicKey(ReadOnlySpan<byte> data, CkksParameters parameters)
        => Read(data, SerializedKind.PublicKey, RequireParameters(parameters), PayloadCodec.ReadPublicKey);

    /// <summary>Reads a relinearization key made for <paramref name="parameters"/>.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid relinearization key for these parameters.</exception>
    public static RelinearizationKey ReadRelinearizationKey(Stream stream, CkksParameters parameters)
        => Read(stream, parameters, SerializedKind.RelinearizationKey, PayloadCodec.ReadRelinearizationKey);

    /// <summary>Reads a relinearization key made for <paramref name="parameters"/> from exactly the bytes of one object.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid relinearization key for these parameters.</exception>
    public static RelinearizationKey ReadRelinearizationKey(ReadOnlySpan<byte> data, CkksParameters parameters)
        => Read(data, SerializedKind.RelinearizationKey, RequireParameters(parameters), PayloadCodec.ReadRelinearizationKey);

    /// <summary>Reads Galois keys made for <paramref name="parameters"/>.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid Galois key set for these parameters.</exception>
    public static GaloisKeys ReadGaloisKeys(Stream stream, CkksParameters parameters) => Read(stream, parameters, SerializedKind.GaloisKeys, PayloadCodec.ReadGaloisKeys);

    /// <summary>Reads Galois keys made for <paramref name="parameters"/> from exactly the bytes of one object.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid Galois key set for these parameters.</exception>
    public static GaloisKeys ReadGaloisKeys(ReadOnlySpan<byte> data, CkksParameters parameters)
        => Read(data, SerializedKind.GaloisKeys, RequireParameters(parameters), PayloadCodec.ReadGaloisKeys);

    // ---- The secret key, by explicit name only -----------------------------------------------------------------

    /// <summary>
    /// Writes the SECRET key, as its ternary coefficients (N/4 bytes). Whoever holds these bytes can decrypt
    /// everything encrypted under the key: store them encrypted or not at all.
    /// </summary>
    public static void ExportSecretKey(Stream stream, SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(secretKey);
        CheckWritable(secretKey.Parameters);
        WriteObject(stream, SerializedKind.SecretKey, secretKey.Parameters.Fingerprint, SecretKeyCodec.Length(secretKey.Parameters),
            writer => SecretKeyCodec.Write(writer, secretKey));
    }

    /// <summary>The SECRET key's bytes; see <see cref="ExportSecretKey(Stream, SecretKey)"/>. Overwrite them when done.</summary>
    public static byte[] ExportSecretKey(SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        return ToBytes(HeaderSize + SecretKeyCodec.Length(secretKey.Parameters), stream => ExportSecretKey(stream, secretKey));
    }

    /// <summary>Reads a secret key exported for <paramref name="parameters"/>.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid exported secret key for these parameters.</exception>
    public static SecretKey ImportSecretKey(Stream stream, CkksParameters parameters) => Read(stream, parameters, SerializedKind.SecretKey, SecretKeyCodec.Read);

    /// <summary>Reads a secret key exported for <paramref name="parameters"/> from exactly the bytes of one object.</summary>
    /// <exception cref="CkksFormatException">The data is not a valid exported secret key for these parameters.</exception>
    public static SecretKey ImportSecretKey(ReadOnlySpan<byte> data, CkksParameters parameters)
        => Read(data, SerializedKind.SecretKey, RequireParameters(parameters), SecretKeyCodec.Read);

    // ---- Plumbing -------------------------------------------------------------------------------------------

    private static void WriteCiphertext(Stream stream, Ciphertext ciphertext, bool seeded)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckWritable(ciphertext.Parameters);
        WriteObject(stream, SerializedKind.Ciphertext, ciphertext.Parameters.Fingerprint, PayloadCodec.CiphertextLength(ciphertext, seeded),
            writer => PayloadCodec.WriteCiphertext(writer, ciphertext, seeded));
    }

    private static void WriteObject(Stream stream, SerializedKind kind, ulong fingerprint, long payloadLength, Action<FormatWriter> writePayload)
    {
        var writer = new FormatWriter(stream);
        FormatHeader.Write(writer, kind, fingerprint, payloadLength);
        writePayload(writer);
        if (writer.Written != HeaderSize + payloadLength)
        {
            // The header already went out with the announced length; a mismatch is a bug here, never the caller's.
            throw new InvalidOperationException($"wrote {writer.Written - HeaderSize} payload bytes for a {FormatHeader.Describe(kind)} after announcing {payloadLength}");
        }
    }

    private static byte[] ToBytes(long size, Action<Stream> write)
    {
        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException($"the object takes {size} bytes, more than one array holds; write it to a stream instead");
        }

        using var stream = new MemoryStream((int)size);
        write(stream);
        // The capacity was exact, so the buffer is the result and needs no copy.
        return stream.Length == stream.Capacity ? stream.GetBuffer() : stream.ToArray();
    }

    /// <summary>The format stores prime counts and levels in single bytes and caps the prime count for readers.</summary>
    private static void CheckWritable(CkksParameters parameters)
    {
        if (parameters.Q.Count + parameters.P.Count > FormatHeader.MaxPrimes)
        {
            throw new ArgumentException($"the format holds at most {FormatHeader.MaxPrimes} primes; these parameters have {parameters.Q.Count + parameters.P.Count}");
        }
    }

    private static CkksParameters RequireParameters(CkksParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters;
    }

    private static PayloadReader<CkksParameters> ParametersPayloadReader(SecurityMode accepted)
    {
        if (!Enum.IsDefined(accepted))
        {
            throw new ArgumentOutOfRangeException(nameof(accepted), $"unknown security mode {accepted}");
        }

        return (reader, header, _) => PayloadCodec.ReadParameters(reader, header, accepted);
    }

    private static T Read<T>(Stream stream, CkksParameters parameters, SerializedKind kind, PayloadReader<T> readPayload)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(parameters);
        return Read(stream, null, kind, parameters, readPayload);
    }

    private static unsafe T Read<T>(ReadOnlySpan<byte> data, SerializedKind kind, CkksParameters? parameters, PayloadReader<T> readPayload)
    {
        if (data.Length < HeaderSize)
        {
            throw new CkksFormatException($"{data.Length} bytes are fewer than the {HeaderSize}-byte header (truncated input)");
        }

        // A read-only stream over the caller's bytes: one parsing path for spans and streams, and no copy.
        fixed (byte* pointer = data)
        {
            using var stream = new UnmanagedMemoryStream(pointer, data.Length);
            return Read(stream, data.Length - HeaderSize, kind, parameters, readPayload);
        }
    }

    private static T Read<T>(Stream stream, long? availablePayload, SerializedKind kind, CkksParameters? parameters, PayloadReader<T> readPayload)
    {
        var reader = new FormatReader(stream);
        FormatHeader header = FormatHeader.Read(reader, kind, availablePayload);
        if (parameters is not null)
        {
            header.CheckFingerprint(parameters);
        }

        T result = readPayload(reader, header, parameters!);
        if ((ulong)(reader.Consumed - HeaderSize) != header.PayloadLength)
        {
            throw new InvalidOperationException($"read {reader.Consumed - HeaderSize} payload bytes of a {FormatHeader.Describe(kind)} whose length was checked as {header.PayloadLength}");
        }

        return result;
    }
}
