using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// Generates a secret key and the public material derived from it: the public key, the relinearization key and
/// Galois keys for chosen rotations. Secret randomness comes from the operating system's CSPRNG.
/// </summary>
public sealed class KeyGenerator
{
    internal const uint PublicKeyDomain = 0x504B0000u;

    private readonly CkksParameters _parameters;
    private readonly int _degreeOfParallelism;

    /// <summary>Creates a generator for <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The parameter set.</param>
    /// <param name="degreeOfParallelism">Threads used across RNS residues and key digits (results do not depend on it).</param>
    public KeyGenerator(CkksParameters parameters, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        _parameters = parameters;
        _degreeOfParallelism = degreeOfParallelism;
    }

    /// <summary>A fresh secret key: uniform ternary coefficients.</summary>
    public SecretKey GenerateSecretKey()
    {
        RingContext ring = _parameters.Ring;
        var coefficients = new sbyte[ring.Degree];
        SecretSampler.Ternary(coefficients);
        var poly = new RnsPoly(ring.Degree, ring.Moduli.Length);
        SecretSampler.Lift(coefficients, poly, ring.Moduli);
        Array.Clear(coefficients);
        ring.ForwardNtt(poly, _degreeOfParallelism);
        return new SecretKey(_parameters, poly);
    }

    /// <summary>
    /// The public key for <paramref name="secretKey"/>, over q_0..q_L and the special primes (so encryption can divide
    /// its noise by P, as Microsoft SEAL does), with a seeded uniform half.
    /// </summary>
    public PublicKey GeneratePublicKey(SecretKey secretKey)
    {
        CheckKey(secretKey);
        RingContext ring = _parameters.Ring;
        int rows = ring.Moduli.Length;
        byte[] seed = UniformSampler.NewSeed();
        var a = new RnsPoly(ring.Degree, rows);
        UniformSampler.Expand(seed, PublicKeyDomain, a, ring.Moduli);
        RnsPoly b = SampleErrorNtt(rows);
        SubtractProduct(b, a, secretKey.Poly, rows);
        return new PublicKey(_parameters, b, a, seed);
    }

    /// <summary>The relinearization key (switches s^2 to s).</summary>
    public RelinearizationKey GenerateRelinearizationKey(SecretKey secretKey)
    {
        CheckKey(secretKey);
        RingContext ring = _parameters.Ring;
        var square = new RnsPoly(ring.Degree, ring.QCount);
        Parallelism.For(ring.QCount, _degreeOfParallelism, j =>
            PolyArithmetic.Mul(secretKey.Poly.Residue(j), secretKey.Poly.Residue(j), square.Residue(j), ring.Moduli[j]));
        return new RelinearizationKey(GenerateKeySwitchingKey(square, secretKey));
    }

    /// <summary>
    /// Galois keys for rotating the slots left by each of <paramref name="steps"/> (negative steps rotate right),
    /// and for conjugation when asked.
    /// </summary>
    public GaloisKeys GenerateGaloisKeys(SecretKey secretKey, IEnumerable<int> steps, bool includeConjugation = false)
    {
        CheckKey(secretKey);
        ArgumentNullException.ThrowIfNull(steps);
        RingContext ring = _parameters.Ring;
        var elements = new SortedSet<ulong>();
        foreach (int step in steps)
        {
            ulong g = ring.GaloisElementForRotation(step);
            if (g != 1)
            {
                elements.Add(g);
            }
        }

        if (includeConjugation)
        {
            elements.Add(ring.GaloisElementForConjugation);
        }

        var keys = new Dictionary<ulong, KeySwitchingKey>();
        foreach (ulong g in elements)
        {
            keys[g] = GenerateGaloisKey(secretKey, g);
        }

        return new GaloisKeys(_parameters, keys);
    }

    internal KeySwitchingKey GenerateGaloisKey(SecretKey secretKey, ulong galoisElement)
    {
        RingContext ring = _parameters.Ring;
        int[] permutation = ring.GaloisPermutation(galoisElement);
        var rotated = new RnsPoly(ring.Degree, ring.QCount);
        for (int j = 0; j < ring.QCount; j++)
        {
            PolyArithmetic.Permute(secretKey.Poly.Residue(j), permutation, rotated.Residue(j));
        }

        return GenerateKeySwitchingKey(rotated, secretKey);
    }

    /// <summary>Key switching key from <paramref name="from"/> (NTT domain, Q rows) to the secret key.</summary>
    internal KeySwitchingKey GenerateKeySwitchingKey(RnsPoly from, SecretKey secretKey)
    {
        RingContext ring = _parameters.Ring;
        int rows = ring.Moduli.Length;
        byte[] seed = UniformSampler.NewSeed();
        var b = new RnsPoly[ring.QCount];
        var a = new RnsPoly[ring.QCount];
        Parallelism.For(ring.QCount, _degreeOfParallelism, i =>
        {
            a[i] = new RnsPoly(ring.Degree, rows);
            UniformSampler.Expand(seed, KeySwitchingKey.DomainOfDigit(i), a[i], ring.Moduli);
            RnsPoly bi = SampleErrorNtt(rows, parallel: false);
            SubtractProduct(bi, a[i], secretKey.Poly, rows, parallel: false);
            // The gadget term P * g_i * s' is nonzero only on row i, where it is (P mod q_i) * s'.
            Modulus qi = ring.Moduli[i];
            ulong pModQi = ring.Conversions.SpecialProductModQ(i);
            Span<ulong> row = bi.Residue(i);
            ReadOnlySpan<ulong> source = from.Residue(i);
            for (int t = 0; t < row.Length; t++)
            {
                row[t] = qi.Add(row[t], qi.Mul(source[t], pModQi));
            }

            b[i] = bi;
        });
        return new KeySwitchingKey(_parameters, b, a, seed);
    }

    private RnsPoly SampleErrorNtt(int rows, bool parallel = true)
    {
        RingContext ring = _parameters.Ring;
        var e = new RnsPoly(ring.Degree, rows);
        SecretSampler.GaussianPoly(e, ring.Moduli);
        ring.ForwardNtt(e, parallel ? _degreeOfParallelism : 1);
        return e;
    }

    /// <summary>target -= a * s on the first <paramref name="rows"/> rows (NTT domain).</summary>
    private void SubtractProduct(RnsPoly target, RnsPoly a, RnsPoly s, int rows, bool parallel = true)
    {
        RingContext ring = _parameters.Ring;
        Parallelism.For(rows, parallel ? _degreeOfParallelism : 1, j =>
        {
            Modulus m = ring.Moduli[j];
            Span<ulong> t = target.Residue(j);
            ReadOnlySpan<ulong> x = a.Residue(j);
            ReadOnlySpan<ulong> y = s.Residue(j);
            for (int i = 0; i < t.Length; i++)
            {
                t[i] = m.Sub(t[i], m.Mul(x[i], y[i]));
            }
        });
    }

    private void CheckKey(SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        _parameters.EnsureSame(secretKey.Parameters, "the secret key");
    }
}
