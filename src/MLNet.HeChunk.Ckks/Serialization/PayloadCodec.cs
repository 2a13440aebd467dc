using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>
/// Writes and reads the payload of each public object kind (the layout is documented on <see cref="FormatHeader"/>),
/// and computes its exact length. Readers validate every small field and compare the declared payload length with the
/// exact one those fields imply before they allocate any polynomial, so a hostile length cannot make them allocate
/// more than the data actually holds.
/// </summary>
internal static class PayloadCodec
{
    private const int SeedLength = UniformSampler.SeedLength;

    // ---- Parameters -----------------------------------------------------------------------------------------

    public static long ParametersLength(CkksParameters parameters) => 12 + 8L * (parameters.Q.Count + parameters.P.Count);

    public static void WriteParameters(FormatWriter writer, CkksParameters parameters)
    {
        writer.WriteByte((byte)parameters.LogN);
        writer.WriteByte((byte)parameters.Security);
        writer.WriteByte((byte)parameters.Q.Count);
        writer.WriteByte((byte)parameters.P.Count);
        writer.WriteDouble(ExactLogScale(parameters.DefaultScale));
        foreach (ulong q in parameters.Q)
        {
            writer.WriteUInt64(q);
        }

        foreach (ulong p in parameters.P)
        {
            writer.WriteUInt64(p);
        }
    }

    /// <summary>The largest ring a reader builds: N times the prime count, in 64-bit words per polynomial (32768 x 64).</summary>
    public const long MaxRingWords = 1L << 21;

    public static CkksParameters ReadParameters(FormatReader reader, FormatHeader header, SecurityMode accepted)
    {
        byte logN = reader.ReadByte("LogN");
        byte security = reader.ReadByte("the security mode");
        byte qCount = reader.ReadByte("the count of Q primes");
        byte pCount = reader.ReadByte("the count of P primes");
        double logScale = reader.ReadDouble("log2 of the default scale");
        if (!Enum.IsDefined((SecurityMode)security))
        {
            throw new CkksFormatException($"unknown security mode {security}");
        }

        if (qCount == 0)
        {
            throw new CkksFormatException("the parameter set lists no Q prime");
        }

        if (qCount + pCount > FormatHeader.MaxPrimes)
        {
            throw new CkksFormatException($"the parameter set lists {qCount + pCount} primes; the format allows at most {FormatHeader.MaxPrimes}");
        }

        if (security == (byte)SecurityMode.InsecureForTestingOnly && accepted != SecurityMode.InsecureForTestingOnly)
        {
            throw new CkksFormatException(
                "the serialized parameter set is marked insecure-for-testing (below 128-bit security); " +
                "it is read only when the caller passes SecurityMode.InsecureForTestingOnly");
        }

        if (logN > 17 || (1L << Math.Min((int)logN, 17)) * (qCount + pCount) > MaxRingWords)
        {
            // Checked before CkksParameters.Create builds NTT tables: a forged 100-byte header must not cost hundreds of MB.
            throw new CkksFormatException($"LogN = {logN} with {qCount + pCount} primes exceeds the largest ring a reader builds (N x primes <= {MaxRingWords})");
        }

        header.CheckPayloadLength(12 + 8L * (qCount + pCount));
        var q = new ulong[qCount];
        var p = new ulong[pCount];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = reader.ReadUInt64($"Q prime {i}");
        }

        for (int i = 0; i < p.Length; i++)
        {
            p[i] = reader.ReadUInt64($"P prime {i}");
        }

        var literal = new CkksParametersLiteral
        {
            LogN = logN,
            Q = q,
            P = p,
            LogDefaultScale = logScale,
            Security = (SecurityMode)security,
        };

        CkksParameters parameters;
        try
        {
            // Create re-applies every rule, the security table included: serialized bytes cannot smuggle in an
            // insecure set unless its literal says InsecureForTestingOnly.
            parameters = CkksParameters.Create(literal);
        }
        catch (ArgumentException e)
        {
            // CkksParameterException derives from ArgumentException; the ring setup reports the rest the same way.
            throw new CkksFormatException($"the serialized parameter set is refused: {e.Message}", e);
        }

        if (parameters.Fingerprint != header.Fingerprint)
        {
            throw new CkksFormatException(
                $"the header fingerprint {header.Fingerprint:x16} does not match the serialized parameters (fingerprint {parameters.Fingerprint:x16}); the data is damaged");
        }

        return parameters;
    }

    // ---- Plaintext ------------------------------------------------------------------------------------------

    public static long PlaintextLength(Plaintext plaintext) => 9 + RowsLength(plaintext.Parameters, plaintext.Level + 1);

    public static void WritePlaintext(FormatWriter writer, Plaintext plaintext)
    {
        CheckScaleForWriting(plaintext.Scale, "plaintext");
        writer.WriteByte((byte)plaintext.Level);
        writer.WriteDouble(plaintext.Scale);
        WritePoly(writer, plaintext.Parameters, plaintext.Poly, plaintext.Level + 1);
    }

    public static Plaintext ReadPlaintext(FormatReader reader, FormatHeader header, CkksParameters parameters)
    {
        int level = ReadLevel(reader, parameters, "plaintext");
        double scale = ReadScale(reader, "plaintext");
        header.CheckPayloadLength(9 + RowsLength(parameters, level + 1));
        RnsPoly poly = ReadPoly(reader, parameters, level + 1, "the plaintext");
        return new Plaintext(parameters, poly, scale);
    }

    // ---- Ciphertext -----------------------------------------------------------------------------------------

    /// <summary>
    /// Whether the ciphertext can be stored as component 0 and its seed. The seed is only trusted after checking that
    /// it still expands to component 1: the evaluator clears it on every change, but a slip there would otherwise
    /// silently write a different ciphertext. The check is one AES expansion, cheap next to the write itself.
    /// </summary>
    public static bool CanStoreSeeded(Ciphertext ciphertext)
    {
        if (ciphertext.Seed is not { Length: SeedLength } seed || ciphertext.Size != 2)
        {
            return false;
        }

        RingContext ring = ciphertext.Parameters.Ring;
        int rows = ciphertext.Level + 1;
        var expected = new RnsPoly(ring.Degree, rows);
        UniformSampler.Expand(seed, Encryptor.SymmetricDomain, expected, ring.Moduli);
        RnsPoly actual = ciphertext.Components[1];
        for (int j = 0; j < rows; j++)
        {
            if (!expected.Residue(j).SequenceEqual(actual.Residue(j)))
            {
                return false;
            }
        }

        return true;
    }

    public static long CiphertextLength(Ciphertext ciphertext, bool seeded)
    {
        long rows = RowsLength(ciphertext.Parameters, ciphertext.Level + 1);
        return 11 + (seeded ? rows + SeedLength : ciphertext.Size * rows);
    }

    public static void WriteCiphertext(FormatWriter writer, Ciphertext ciphertext, bool seeded)
    {
        CheckScaleForWriting(ciphertext.Scale, "ciphertext");
        if (ciphertext.Size is not (2 or 3))
        {
            throw new ArgumentException($"a ciphertext has 2 or 3 components, this one {ciphertext.Size}", nameof(ciphertext));
        }

        int rows = ciphertext.Level + 1;
        if (ciphertext.Components.Any(c => c.ResidueCount != rows))
        {
            throw new ArgumentException("the ciphertext's components have different levels", nameof(ciphertext));
        }

        writer.WriteByte((byte)ciphertext.Level);
        writer.WriteByte((byte)ciphertext.Size);
        writer.WriteByte(seeded ? (byte)1 : (byte)0);
        writer.WriteDouble(ciphertext.Scale);
        if (seeded)
        {
            if (ciphertext.Seed is not { Length: SeedLength } seed)
            {
                throw new ArgumentException("the ciphertext has no seed to write", nameof(ciphertext));
            }

            WritePoly(writer, ciphertext.Parameters, ciphertext.Components[0], rows);
            writer.WriteBytes(seed);
        }
        else
        {
            foreach (RnsPoly component in ciphertext.Components)
            {
                WritePoly(writer, ciphertext.Parameters, component, rows);
            }
        }
    }

    public static Ciphertext ReadCiphertext(FormatReader reader, FormatHeader header, CkksParameters parameters)
    {
        int level = ReadLevel(reader, parameters, "ciphertext");
        byte size = reader.ReadByte("the ciphertext's component count");
        byte flags = reader.ReadByte("the ciphertext's flags");
        double scale = ReadScale(reader, "ciphertext");
        if (size is not (2 or 3))
        {
            throw new CkksFormatException($"ciphertext component count {size} is not 2 or 3");
        }

        if ((flags & ~1) != 0)
        {
            throw new CkksFormatException($"ciphertext flags 0x{flags:x2} set unknown bits (only bit 0, seeded, is defined)");
        }

        bool seeded = (flags & 1) != 0;
        if (seeded && size != 2)
        {
            throw new CkksFormatException($"a seeded ciphertext has 2 components, this one declares {size}");
        }

        long rowsLength = RowsLength(parameters, level + 1);
        header.CheckPayloadLength(11 + (seeded ? rowsLength + SeedLength : size * rowsLength));
        var components = new RnsPoly[size];
        components[0] = ReadPoly(reader, parameters, level + 1, "ciphertext component 0");
        byte[]? seed = null;
        if (seeded)
        {
            // Expanded exactly as Encryptor does: rows 0..level, row j modulo q_j.
            seed = reader.ReadSeed("the ciphertext's seed");
            components[1] = new RnsPoly(parameters.N, level + 1);
            UniformSampler.Expand(seed, Encryptor.SymmetricDomain, components[1], parameters.Ring.Moduli);
        }
        else
        {
            for (int c = 1; c < size; c++)
            {
                components[c] = ReadPoly(reader, parameters, level + 1, $"ciphertext component {c}");
            }
        }

        return new Ciphertext(parameters, components, scale) { Seed = seed };
    }

    // ---- Public key -----------------------------------------------------------------------------------------

    public static long PublicKeyLength(PublicKey key) => SeedLength + RowsLength(key.Parameters, key.Parameters.Q.Count + key.Parameters.P.Count);

    public static void WritePublicKey(FormatWriter writer, PublicKey key)
    {
        writer.WriteBytes(key.Seed);
        WritePoly(writer, key.Parameters, key.B, key.Parameters.Q.Count + key.Parameters.P.Count);
    }

    public static PublicKey ReadPublicKey(FormatReader reader, FormatHeader header, CkksParameters parameters)
    {
        RingContext ring = parameters.Ring;
        header.CheckPayloadLength(SeedLength + RowsLength(parameters, ring.Moduli.Length));
        byte[] seed = reader.ReadSeed("the public key's seed");
        RnsPoly b = ReadPoly(reader, parameters, ring.Moduli.Length, "the public key's b");
        // Expanded exactly as KeyGenerator.GeneratePublicKey does: the Q and P rows, row j modulo prime j.
        var a = new RnsPoly(ring.Degree, ring.Moduli.Length);
        UniformSampler.Expand(seed, KeyGenerator.PublicKeyDomain, a, ring.Moduli);
        return new PublicKey(parameters, b, a, seed);
    }

    // ---- Key-switching keys (relinearization, Galois) -------------------------------------------------------

    public static long RelinearizationKeyLength(RelinearizationKey key) => 1 + SwitchingKeyLength(key.Parameters, key.Key.DigitCount);

    public static void WriteRelinearizationKey(FormatWriter writer, RelinearizationKey key)
    {
        writer.WriteByte((byte)key.Key.DigitCount);
        WriteSwitchingKey(writer, key.Key);
    }

    public static RelinearizationKey ReadRelinearizationKey(FormatReader reader, FormatHeader header, CkksParameters parameters)
    {
        int digits = ReadDigitCount(reader, parameters, "the relinearization key");
        header.CheckPayloadLength(1 + SwitchingKeyLength(parameters, digits));
        return new RelinearizationKey(ReadSwitchingKey(reader, parameters, digits, "the relinearization key"));
    }

    public static long GaloisKeysLength(GaloisKeys keys) =>
        4 + keys.Keys.Sum(pair => 9 + SwitchingKeyLength(keys.Parameters, pair.Value.DigitCount));

    public static void WriteGaloisKeys(FormatWriter writer, GaloisKeys keys)
    {
        // Ascending order makes the bytes a function of the key set alone, whatever the dictionary's order. The table
        // of elements and digit counts comes first, so a reader knows the exact payload length before any key body.
        KeyValuePair<ulong, KeySwitchingKey>[] ordered = [.. keys.Keys.OrderBy(p => p.Key)];
        writer.WriteUInt32((uint)ordered.Length);
        foreach (KeyValuePair<ulong, KeySwitchingKey> pair in ordered)
        {
            writer.WriteUInt64(pair.Key);
            writer.WriteByte((byte)pair.Value.DigitCount);
        }

        foreach (KeyValuePair<ulong, KeySwitchingKey> pair in ordered)
        {
            WriteSwitchingKey(writer, pair.Value);
        }
    }

    public static GaloisKeys ReadGaloisKeys(FormatReader reader, FormatHeader header, CkksParameters parameters)
    {
        uint count = reader.ReadUInt32("the Galois key count");
        // Only N odd residues exist below 2N, so a larger count cannot hold distinct elements; refusing it here also
        // bounds the table below.
        if (count > (uint)parameters.N)
        {
            throw new CkksFormatException($"Galois key count {count} exceeds N = {parameters.N}, the number of distinct Galois elements");
        }

        // The table is at most 9N bytes; the header's length must cover it before it is read.
        if (header.PayloadLength < 4 + 9UL * count)
        {
            throw new CkksFormatException($"the header announces a {header.PayloadLength}-byte payload, too short for the table of {count} Galois keys");
        }

        ulong twoN = 2UL * (ulong)parameters.N;
        var elements = new ulong[count];
        var digitCounts = new int[count];
        long expected = 4;
        for (int k = 0; k < count; k++)
        {
            ulong element = reader.ReadUInt64($"the element of Galois key {k}");
            if ((element & 1) == 0 || element >= twoN)
            {
                throw new CkksFormatException($"Galois key {k} has element {element}, which is not odd and below 2N = {twoN}");
            }

            // Strictly ascending, as written: each element once, and one byte sequence per key set.
            if (k > 0 && element == elements[k - 1])
            {
                throw new CkksFormatException($"Galois key {k} repeats element {element}");
            }

            if (k > 0 && element < elements[k - 1])
            {
                throw new CkksFormatException($"Galois key {k} has element {element} below the previous {elements[k - 1]}; elements are stored in ascending order");
            }

            elements[k] = element;
            digitCounts[k] = ReadDigitCount(reader, parameters, $"Galois key {k} (element {element})");
            expected += 9 + SwitchingKeyLength(parameters, digitCounts[k]);
        }

        header.CheckPayloadLength(expected);
        // Not pre-allocated: keys are allocated one by one as their bytes arrive, so a stream that ends early never
        // costs more memory than the data it delivered.
        var keys = new Dictionary<ulong, KeySwitchingKey>();
        for (int k = 0; k < count; k++)
        {
            keys.Add(elements[k], ReadSwitchingKey(reader, parameters, digitCounts[k], $"Galois key {k} (element {elements[k]})"));
        }

        return new GaloisKeys(parameters, keys);
    }

    /// <summary>Seed plus, per digit, one b polynomial over the extended basis of the key's level (q_0..q_(d-1), then P).</summary>
    private static long SwitchingKeyLength(CkksParameters parameters, int digits)
        => SeedLength + digits * RowsLength(parameters.N, parameters.Ring.ExtendedBasis(digits - 1).Moduli);

    private static void WriteSwitchingKey(FormatWriter writer, KeySwitchingKey key)
    {
        Modulus[] moduli = key.Parameters.Ring.ExtendedBasis(key.MaxLevel).Moduli;
        writer.WriteBytes(key.Seed);
        foreach (RnsPoly b in key.B)
        {
            WritePoly(writer, moduli, b);
        }
    }

    private static KeySwitchingKey ReadSwitchingKey(FormatReader reader, CkksParameters parameters, int digits, string what)
    {
        RingContext ring = parameters.Ring;
        Modulus[] moduli = ring.ExtendedBasis(digits - 1).Moduli;
        byte[] seed = reader.ReadSeed($"the seed of {what}");
        var b = new RnsPoly[digits];
        var a = new RnsPoly[digits];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = ReadPoly(reader, parameters.N, moduli, $"{what}, digit {i}");
            // Expanded exactly as KeyGenerator.GenerateKeySwitchingKey does: the extended basis of the key's level.
            a[i] = new RnsPoly(ring.Degree, moduli.Length);
            UniformSampler.Expand(seed, KeySwitchingKey.DomainOfDigit(i), a[i], moduli);
        }

        return new KeySwitchingKey(parameters, b, a, seed);
    }

    private static int ReadDigitCount(FormatReader reader, CkksParameters parameters, string what)
    {
        byte digits = reader.ReadByte($"the digit count of {what}");
        if (digits < 1 || digits > parameters.Q.Count)
        {
            throw new CkksFormatException($"{what} has {digits} digits; a key has one per Q prime up to its level, 1 to {parameters.Q.Count} here");
        }

        return digits;
    }

    // ---- Shared helpers -------------------------------------------------------------------------------------

    /// <summary>Bytes of rows 0..rows-1 of one polynomial, each packed to its prime's bit length.</summary>
    internal static long RowsLength(CkksParameters parameters, int rows)
    {
        Modulus[] moduli = parameters.Ring.Moduli;
        long total = 0;
        for (int j = 0; j < rows; j++)
        {
            total += BitPacker.PackedLength(parameters.N, moduli[j].BitCount);
        }

        return total;
    }

    /// <summary>Bytes of one polynomial over <paramref name="moduli"/>, row j packed to the bit length of moduli[j].</summary>
    private static long RowsLength(int n, IReadOnlyList<Modulus> moduli)
    {
        long total = 0;
        foreach (Modulus m in moduli)
        {
            total += BitPacker.PackedLength(n, m.BitCount);
        }

        return total;
    }

    private static void WritePoly(FormatWriter writer, IReadOnlyList<Modulus> moduli, RnsPoly poly)
    {
        for (int j = 0; j < moduli.Count; j++)
        {
            writer.WriteResidues(poly.Residue(j), moduli[j]);
        }
    }

    private static RnsPoly ReadPoly(FormatReader reader, int n, IReadOnlyList<Modulus> moduli, string what)
    {
        var poly = new RnsPoly(n, moduli.Count);
        for (int j = 0; j < moduli.Count; j++)
        {
            reader.ReadResidues(poly.Residue(j), moduli[j], $"{what}, row {j}");
        }

        return poly;
    }

    private static void WritePoly(FormatWriter writer, CkksParameters parameters, RnsPoly poly, int rows)
    {
        Modulus[] moduli = parameters.Ring.Moduli;
        for (int j = 0; j < rows; j++)
        {
            writer.WriteResidues(poly.Residue(j), moduli[j]);
        }
    }

    private static RnsPoly ReadPoly(FormatReader reader, CkksParameters parameters, int rows, string what)
    {
        Modulus[] moduli = parameters.Ring.Moduli;
        var poly = new RnsPoly(parameters.N, rows);
        for (int j = 0; j < rows; j++)
        {
            reader.ReadResidues(poly.Residue(j), moduli[j], $"{what}, row {j}");
        }

        return poly;
    }

    private static int ReadLevel(FormatReader reader, CkksParameters parameters, string what)
    {
        byte level = reader.ReadByte($"the {what}'s level");
        if (level > parameters.MaxLevel)
        {
            throw new CkksFormatException($"{what} level {level} is above the parameters' maximum level {parameters.MaxLevel}");
        }

        return level;
    }

    private static double ReadScale(FormatReader reader, string what)
    {
        double scale = reader.ReadDouble($"the {what}'s scale");
        // A scale below 1 or not finite cannot come from encoding and would make decoding divide into nonsense.
        if (!double.IsFinite(scale) || scale < 1)
        {
            throw new CkksFormatException($"{what} scale {scale} is not a finite number >= 1");
        }

        return scale;
    }

    private static void CheckScaleForWriting(double scale, string what)
    {
        if (!double.IsFinite(scale) || scale < 1)
        {
            throw new ArgumentException($"the {what}'s scale {scale} is not a finite number >= 1, so it could not be read back");
        }
    }

    /// <summary>
    /// A log2 of <paramref name="scale"/> from which Math.Pow(2, ·) gives back exactly <paramref name="scale"/>, so the
    /// parameters recreated on reading have the same fingerprint. Math.Log2 alone can be an ulp off for a non-integer
    /// exponent; the exponent the parameters were created from lies within a few ulps of it.
    /// </summary>
    private static double ExactLogScale(double scale)
    {
        double estimate = Math.Log2(scale);
        double up = estimate;
        double down = estimate;
        for (int step = 0; step <= 8; step++)
        {
            if (Math.Pow(2, up) == scale)
            {
                return up;
            }

            if (Math.Pow(2, down) == scale)
            {
                return down;
            }

            up = Math.BitIncrement(up);
            down = Math.BitDecrement(down);
        }

        throw new InvalidOperationException($"the default scale {scale} is not 2^x for any double x near {estimate}; it cannot be serialized");
    }
}
