namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>
/// The 24-byte header that starts every serialized CKKS object, and the layout of every payload.
/// </summary>
/// <remarks>
/// Layout (all integers and doubles little-endian; "rows(l)" is the residue rows of one polynomial over
/// q_0..q_l, row j bit-packed to w_j = bit length of the j-th prime, N*w_j/8 bytes, least significant bit first;
/// "rows(QP)" is the same over all ciphertext primes then all special primes):
/// <code>
/// header
///  offset size  field
///       0    4  magic "HCKS" (ASCII)
///       4    2  format version (uint16, currently 2; version 1 stored every key-switching key at full level)
///       6    1  object kind: 1 parameters, 2 plaintext, 3 ciphertext, 4 public key, 5 relinearization key,
///               6 Galois keys, 7 secret key (only through the explicit secret-key export)
///       7    1  reserved, 0
///       8    8  parameter fingerprint (CkksParameters.Fingerprint) of the set the object belongs to
///      16    8  payload length L in bytes (uint64)
///      24    L  payload
///
/// payload, by kind
///  1 parameters      uint8 LogN, uint8 security mode (0 = 128-bit required, 1 = insecure for testing only),
///                    uint8 count of Q primes k_q (>= 1), uint8 count of P primes k_p (k_q + k_p &lt;= 64),
///                    double log2(default scale), uint64 Q primes[k_q], uint64 P primes[k_p]
///                    L = 12 + 8*(k_q + k_p)
///  2 plaintext       uint8 level l, double scale, rows(l)
///  3 ciphertext      uint8 level l, uint8 component count c (2 or 3), uint8 flags (bit 0: seeded; others 0),
///                    double scale, then
///                      unseeded: c polynomials rows(l)
///                      seeded (c = 2): component 0 rows(l), 32-byte seed; component 1 is
///                        UniformSampler.Expand(seed, Encryptor.SymmetricDomain) over q_0..q_l
///  4 public key      32-byte seed, b rows(L_max); a = Expand(seed, KeyGenerator.PublicKeyDomain) over q_0..q_L
///  5 relin key       uint8 digit count d (1..k_q; the key serves levels 0..d-1), 32-byte seed, b_0..b_(d-1) each
///                    rows(ext(d-1)) = q_0..q_(d-1) then all P primes; a_i = Expand(seed, KeySwitchingKey.DomainOfDigit(i))
///                    over the same rows
///  6 Galois keys     uint32 key count n (&lt;= N), then n times (uint64 Galois element, odd, &lt; 2N, strictly ascending;
///                    uint8 digit count d_k), then n times (32-byte seed, b_0..b_(d_k - 1) each rows(ext(d_k - 1)))
///  7 secret key      N ternary coefficients of s (coefficient domain), 2 bits each, LSB first:
///                    0 -> 0, 1 -> 1, 2 -> -1 (3 is refused); L = N/4
/// </code>
/// Reading checks, in order: magic, version, kind, reserved byte, fingerprint against the given parameters, the
/// small fields (level, component count, flags, scale finite and >= 1, digit and key counts), the payload length
/// against the exact length those fields imply (before anything large is allocated), then every residue below its
/// prime, every Galois element, and for byte-span input that nothing follows the object. All failures are
/// <see cref="CkksFormatException"/>s. The format detects damage and mix-ups, not deliberate forgery of
/// in-range values: authenticity is the transport's job.
/// </remarks>
internal readonly record struct FormatHeader(SerializedKind Kind, ulong Fingerprint, ulong PayloadLength)
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 24;

    /// <summary>The only version this code writes and reads.</summary>
    public const ushort CurrentVersion = 2;

    /// <summary>Most primes (Q and P together) a serialized parameter set may list.</summary>
    public const int MaxPrimes = 64;

    private static ReadOnlySpan<byte> Magic => "HCKS"u8;

    public static void Write(FormatWriter writer, SerializedKind kind, ulong fingerprint, long payloadLength)
    {
        writer.WriteBytes(Magic);
        writer.WriteUInt16(CurrentVersion);
        writer.WriteByte((byte)kind);
        writer.WriteByte(0);
        writer.WriteUInt64(fingerprint);
        writer.WriteUInt64((ulong)payloadLength);
    }

    /// <summary>
    /// Reads and checks the header of an object of kind <paramref name="expected"/>. When the caller knows how many
    /// payload bytes follow (byte-span input), the declared length must match it exactly: more is trailing garbage,
    /// less is truncation.
    /// </summary>
    public static FormatHeader Read(FormatReader reader, SerializedKind expected, long? availablePayload)
    {
        Span<byte> magic = stackalloc byte[4];
        reader.ReadExactly(magic, "the magic bytes");
        if (!magic.SequenceEqual(Magic))
        {
            throw new CkksFormatException(
                $"not a serialized CKKS object: magic bytes are {Convert.ToHexString(magic)}, expected {Convert.ToHexString(Magic)} (\"HCKS\")");
        }

        ushort version = reader.ReadUInt16("the format version");
        if (version < CurrentVersion)
        {
            throw new CkksFormatException(
                $"format version {version} was written by an earlier release (before key-switching keys carried their level); " +
                $"this reader understands version {CurrentVersion}: generate the keys again and re-encrypt");
        }

        if (version != CurrentVersion)
        {
            throw new CkksFormatException($"unsupported format version {version}; this reader understands version {CurrentVersion}");
        }

        byte kind = reader.ReadByte("the object kind");
        if (!Enum.IsDefined((SerializedKind)kind))
        {
            throw new CkksFormatException($"unknown object kind {kind}");
        }

        if ((SerializedKind)kind != expected)
        {
            throw new CkksFormatException($"the data holds a {Describe((SerializedKind)kind)}, not a {Describe(expected)}");
        }

        byte reserved = reader.ReadByte("the reserved header byte");
        if (reserved != 0)
        {
            throw new CkksFormatException($"reserved header byte is {reserved}, must be 0");
        }

        ulong fingerprint = reader.ReadUInt64("the parameter fingerprint");
        ulong length = reader.ReadUInt64("the payload length");
        if (availablePayload is long available && length != (ulong)available)
        {
            throw new CkksFormatException(length > (ulong)available
                ? $"the header announces a {length}-byte payload but only {available} bytes follow (truncated input)"
                : $"the header announces a {length}-byte payload but {available} bytes follow (trailing bytes after the object)");
        }

        return new FormatHeader((SerializedKind)kind, fingerprint, length);
    }

    /// <summary>Refuses an object made for another parameter set.</summary>
    public void CheckFingerprint(CkksParameters parameters)
    {
        if (Fingerprint != parameters.Fingerprint)
        {
            throw new CkksFormatException(
                $"the {Describe(Kind)} belongs to the parameter set with fingerprint {Fingerprint:x16}, " +
                $"not to the given parameters (fingerprint {parameters.Fingerprint:x16})");
        }
    }

    /// <summary>Refuses a payload whose declared length is not the one its small fields imply.</summary>
    public void CheckPayloadLength(long expected)
    {
        if (PayloadLength != (ulong)expected)
        {
            throw new CkksFormatException(
                $"the header announces a {PayloadLength}-byte payload, but a {Describe(Kind)} with these fields takes exactly {expected} bytes");
        }
    }

    public static string Describe(SerializedKind kind) => kind switch
    {
        SerializedKind.Parameters => "parameter set",
        SerializedKind.Plaintext => "plaintext",
        SerializedKind.Ciphertext => "ciphertext",
        SerializedKind.PublicKey => "public key",
        SerializedKind.RelinearizationKey => "relinearization key",
        SerializedKind.GaloisKeys => "Galois key set",
        SerializedKind.SecretKey => "secret key",
        _ => $"object of kind {(byte)kind}",
    };
}
