using System.Security.Cryptography;
using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// A validated, immutable CKKS parameter set with its precomputed ring (NTT tables, RNS constants). Build it once
/// with <see cref="Create"/> and share it: every key, plaintext and ciphertext remembers the parameters it was made
/// for, and operations refuse objects of another parameter set.
/// </summary>
public sealed class CkksParameters : IEquatable<CkksParameters>
{
    private CkksParameters(CkksParametersLiteral literal, ulong[] q, ulong[] p)
    {
        LogN = literal.LogN;
        N = 1 << literal.LogN;
        Q = q;
        P = p;
        DefaultScale = Math.Pow(2, literal.LogDefaultScale);
        Security = literal.Security;
        TotalModulusBits = q.Concat(p).Sum(BitLength);
        int? maxBits = SecurityStandard.MaxModulusBits(N);
        IsSecure = maxBits is int m && TotalModulusBits <= m;
        Ring = new RingContext(N, q, p);
        Fingerprint = ComputeFingerprint();
    }

    /// <summary>log2 of the ring degree.</summary>
    public int LogN { get; }

    /// <summary>Ring degree N.</summary>
    public int N { get; }

    /// <summary>Number of complex slots, N/2.</summary>
    public int SlotCount => N / 2;

    /// <summary>Ciphertext primes q_0..q_L.</summary>
    public IReadOnlyList<ulong> Q { get; }

    /// <summary>Special primes, used only inside key switching.</summary>
    public IReadOnlyList<ulong> P { get; }

    /// <summary>The highest level L (number of ciphertext primes minus one); each rescale consumes one level.</summary>
    public int MaxLevel => Q.Count - 1;

    /// <summary>Default encoding scale.</summary>
    public double DefaultScale { get; }

    /// <summary>The policy the parameters were validated under.</summary>
    public SecurityMode Security { get; }

    /// <summary>Sum of the bit lengths of all primes, special primes included (what the security table bounds).</summary>
    public int TotalModulusBits { get; }

    /// <summary>True when the parameters meet the 128-bit HomomorphicEncryption.org table.</summary>
    public bool IsSecure { get; }

    /// <summary>A 64-bit digest of the parameters, written into every serialized object to catch mix-ups.</summary>
    public ulong Fingerprint { get; }

    internal RingContext Ring { get; }

    /// <summary>
    /// Validates <paramref name="literal"/> and precomputes the ring. Throws <see cref="CkksParameterException"/>
    /// with the reason when the literal is inconsistent or, unless asked for by name, not 128-bit secure.
    /// </summary>
    public static CkksParameters Create(CkksParametersLiteral literal)
    {
        ArgumentNullException.ThrowIfNull(literal);
        if (literal.LogN < 3 || literal.LogN > 17)
        {
            throw new CkksParameterException($"LogN = {literal.LogN} is outside [3, 17]");
        }

        int n = 1 << literal.LogN;
        bool insecureAllowed = literal.Security == SecurityMode.InsecureForTestingOnly;
        if (!insecureAllowed && SecurityStandard.MaxModulusBits(n) is null)
        {
            throw new CkksParameterException(
                $"ring degree N = {n} has no row in the 128-bit security table (N = {string.Join(", ", SecurityStandard.Degrees)}); " +
                "use SecurityMode.InsecureForTestingOnly for arithmetic tests");
        }

        ulong[] q = ResolvePrimes("Q", literal.LogQ, literal.Q, n, required: true, exclude: []);
        ulong[] p = ResolvePrimes("P", literal.LogP, literal.P, n, required: false, exclude: q);

        if (q.Concat(p).Distinct().Count() != q.Length + p.Length)
        {
            throw new CkksParameterException("the primes of Q and P must all be distinct (a repeated prime breaks the RNS representation)");
        }

        int totalBits = q.Concat(p).Sum(BitLength);
        int? maxBits = SecurityStandard.MaxModulusBits(n);
        if (!insecureAllowed && totalBits > maxBits)
        {
            throw new CkksParameterException(
                $"total modulus width {totalBits} bits (Q and P) exceeds the {maxBits} bits that give {SecurityStandard.SecurityBits}-bit " +
                $"security at N = {n} (HomomorphicEncryption.org standard, ternary secret); use a larger N or fewer/smaller primes");
        }

        if (p.Length > 0)
        {
            double logP = p.Sum(x => Math.Log2(x));
            double logMaxQ = q.Max(x => Math.Log2(x));
            if (logP + 0.5 < logMaxQ)
            {
                throw new CkksParameterException(
                    $"the special primes' product ({logP:F1} bits) must be at least about the largest ciphertext prime ({logMaxQ:F1} bits): " +
                    "key switching divides its noise by P");
            }
        }

        if (!(literal.LogDefaultScale > 0) || literal.LogDefaultScale >= q.Sum(x => Math.Log2(x)))
        {
            throw new CkksParameterException(
                $"LogDefaultScale = {literal.LogDefaultScale} must be positive and below log2(Q) = {q.Sum(x => Math.Log2(x)):F1}");
        }

        return new CkksParameters(literal, q, p);
    }

    /// <summary>The literal that recreates these parameters exactly (explicit primes).</summary>
    public CkksParametersLiteral ToLiteral() => new()
    {
        LogN = LogN,
        Q = Q.ToArray(),
        P = P.ToArray(),
        LogDefaultScale = Math.Log2(DefaultScale),
        Security = Security,
    };

    /// <inheritdoc/>
    public bool Equals(CkksParameters? other) => other is not null && other.Fingerprint == Fingerprint;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as CkksParameters);

    /// <inheritdoc/>
    public override int GetHashCode() => Fingerprint.GetHashCode();

    /// <inheritdoc/>
    public override string ToString()
        => $"CKKS N={N}, Q=[{string.Join(",", Q.Select(BitLength))}] bits, P=[{string.Join(",", P.Select(BitLength))}] bits, " +
           $"scale=2^{Math.Log2(DefaultScale):F1}, {TotalModulusBits} bits, {(IsSecure ? "128-bit secure" : "INSECURE")}";

    internal static int BitLength(ulong x) => 64 - System.Numerics.BitOperations.LeadingZeroCount(x);

    internal void EnsureSame(CkksParameters other, string what)
    {
        if (!ReferenceEquals(this, other) && other.Fingerprint != Fingerprint)
        {
            throw new ArgumentException($"{what} belongs to another parameter set (fingerprint {other.Fingerprint:x16}, expected {Fingerprint:x16})");
        }
    }

    private static ulong[] ResolvePrimes(string name, IReadOnlyList<int>? bits, IReadOnlyList<ulong>? explicitPrimes, int n, bool required, ulong[] exclude)
    {
        if (bits is not null && explicitPrimes is not null)
        {
            throw new CkksParameterException($"give either Log{name} or {name}, not both");
        }

        if (explicitPrimes is not null)
        {
            ulong twoN = 2UL * (ulong)n;
            foreach (ulong prime in explicitPrimes)
            {
                if (prime >> Modulus.MaxBits != 0)
                {
                    throw new CkksParameterException($"{name} prime {prime} is wider than {Modulus.MaxBits} bits");
                }

                if (prime % twoN != 1)
                {
                    throw new CkksParameterException($"{name} prime {prime} is not 1 mod 2N = {twoN}, so the negacyclic NTT does not exist for it");
                }

                if (!PrimeGenerator.IsPrime(prime))
                {
                    throw new CkksParameterException($"{name} value {prime} is not prime");
                }
            }

            if (required && explicitPrimes.Count == 0)
            {
                throw new CkksParameterException($"{name} needs at least one prime");
            }

            return explicitPrimes.ToArray();
        }

        if (bits is null || bits.Count == 0)
        {
            if (required)
            {
                throw new CkksParameterException($"{name} needs at least one prime (give Log{name} or {name})");
            }

            return [];
        }

        foreach (int b in bits)
        {
            if (b < 10 || b > Modulus.MaxBits)
            {
                throw new CkksParameterException($"Log{name} entry {b} is outside [10, {Modulus.MaxBits}] bits");
            }
        }

        try
        {
            return PrimeGenerator.Generate(n, bits, exclude);
        }
        catch (ArgumentException e)
        {
            throw new CkksParameterException($"cannot generate Log{name} primes: {e.Message}");
        }
    }

    private ulong ComputeFingerprint()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("MLNet.HeChunk.Ckks.Parameters/1");
            writer.Write(LogN);
            writer.Write(Q.Count);
            foreach (ulong x in Q)
            {
                writer.Write(x);
            }

            writer.Write(P.Count);
            foreach (ulong x in P)
            {
                writer.Write(x);
            }

            writer.Write(BitConverter.DoubleToInt64Bits(DefaultScale));
        }

        byte[] digest = SHA256.HashData(stream.ToArray());
        return BitConverter.ToUInt64(digest, 0);
    }
}
