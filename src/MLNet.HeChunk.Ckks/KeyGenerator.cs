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

    /// <summary>The relinearization key (switches s^2 to s), for ciphertexts at every level.</summary>
    public RelinearizationKey GenerateRelinearizationKey(SecretKey secretKey) => GenerateRelinearizationKey(secretKey, _parameters.MaxLevel);

    /// <summary>
    /// The relinearization key restricted to ciphertexts at level <paramref name="maxLevel"/> or below: digits and rows
    /// for q_0..q_maxLevel only (see <see cref="KeySwitchingKey"/>), so a circuit whose squarings all happen below the
    /// top level sends a smaller key.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLevel"/> is negative or above the parameters' top level.</exception>
    public RelinearizationKey GenerateRelinearizationKey(SecretKey secretKey, int maxLevel)
    {
        CheckKey(secretKey);
        CheckLevel(maxLevel);
        RingContext ring = _parameters.Ring;
        var square = new RnsPoly(ring.Degree, ring.QCount);
        Parallelism.For(ring.QCount, _degreeOfParallelism, j =>
            PolyArithmetic.Mul(secretKey.Poly.Residue(j), secretKey.Poly.Residue(j), square.Residue(j), ring.Moduli[j]));
        return new RelinearizationKey(GenerateKeySwitchingKey(square, secretKey, maxLevel));
    }

    /// <summary>
    /// Galois keys for rotating the slots left by each of <paramref name="steps"/> (negative steps rotate right),
    /// and for conjugation when asked; every key serves ciphertexts at every level.
    /// </summary>
    public GaloisKeys GenerateGaloisKeys(SecretKey secretKey, IEnumerable<int> steps, bool includeConjugation = false)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var requests = steps.Select(step => GaloisKeyRequest.Rotation(step, _parameters.MaxLevel)).ToList();
        if (includeConjugation)
        {
            requests.Add(GaloisKeyRequest.Conjugation(_parameters.MaxLevel));
        }

        return GenerateGaloisKeys(secretKey, requests);
    }

    /// <summary>
    /// Galois keys, each for the highest level at which the circuit uses it (<see cref="GaloisKeyRequest"/>). A step
    /// asked twice gets one key, for the higher of the two levels; rotations by a multiple of the slot count need no key.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A request's level is negative or above the parameters' top level.</exception>
    public GaloisKeys GenerateGaloisKeys(SecretKey secretKey, IEnumerable<GaloisKeyRequest> requests)
    {
        CheckKey(secretKey);
        ArgumentNullException.ThrowIfNull(requests);
        RingContext ring = _parameters.Ring;
        var levels = new SortedDictionary<ulong, int>();
        foreach (GaloisKeyRequest request in requests)
        {
            CheckLevel(request.MaxLevel);
            ulong g = request.IsConjugation ? ring.GaloisElementForConjugation : ring.GaloisElementForRotation(request.Step);
            if (g != 1)
            {
                levels[g] = Math.Max(request.MaxLevel, levels.GetValueOrDefault(g, 0));
            }
        }

        var keys = new Dictionary<ulong, KeySwitchingKey>();
        foreach ((ulong g, int level) in levels)
        {
            keys[g] = GenerateGaloisKey(secretKey, g, level);
        }

        return new GaloisKeys(_parameters, keys);
    }

    internal KeySwitchingKey GenerateGaloisKey(SecretKey secretKey, ulong galoisElement, int maxLevel)
    {
        RingContext ring = _parameters.Ring;
        int[] permutation = ring.GaloisPermutation(galoisElement);
        var rotated = new RnsPoly(ring.Degree, ring.QCount);
        for (int j = 0; j < ring.QCount; j++)
        {
            PolyArithmetic.Permute(secretKey.Poly.Residue(j), permutation, rotated.Residue(j));
        }

        return GenerateKeySwitchingKey(rotated, secretKey, maxLevel);
    }

    /// <summary>
    /// Key switching key from <paramref name="from"/> (NTT domain, Q rows) to the secret key, for ciphertexts up to
    /// <paramref name="maxLevel"/>: digits 0..maxLevel, each over the extended basis q_0..q_maxLevel, P.
    /// </summary>
    internal KeySwitchingKey GenerateKeySwitchingKey(RnsPoly from, SecretKey secretKey, int maxLevel)
    {
        RingContext ring = _parameters.Ring;
        (Modulus[] moduli, NttTables[] tables) = ring.ExtendedBasis(maxLevel);
        int rows = moduli.Length;
        byte[] seed = UniformSampler.NewSeed();
        var b = new RnsPoly[maxLevel + 1];
        var a = new RnsPoly[maxLevel + 1];
        Parallelism.For(maxLevel + 1, _degreeOfParallelism, i =>
        {
            a[i] = new RnsPoly(ring.Degree, rows);
            UniformSampler.Expand(seed, KeySwitchingKey.DomainOfDigit(i), a[i], moduli);
            var bi = new RnsPoly(ring.Degree, rows);
            SecretSampler.GaussianPoly(bi, moduli);
            for (int r = 0; r < rows; r++)
            {
                Ntt.Forward(bi.Residue(r), tables[r]);
                // bi -= a_i * s, row r modulo the r-th prime of the extended basis.
                Modulus m = moduli[r];
                Span<ulong> t = bi.Residue(r);
                ReadOnlySpan<ulong> x = a[i].Residue(r);
                ReadOnlySpan<ulong> y = secretKey.Poly.Residue(ring.ModulusOfExtendedRow(r, maxLevel));
                for (int k = 0; k < t.Length; k++)
                {
                    t[k] = m.Sub(t[k], m.Mul(x[k], y[k]));
                }
            }

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

    private void CheckLevel(int maxLevel)
    {
        if (maxLevel < 0 || maxLevel > _parameters.MaxLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLevel), maxLevel, $"a key's maximum level must lie in 0..{_parameters.MaxLevel}");
        }
    }

    private void CheckKey(SecretKey secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        _parameters.EnsureSame(secretKey.Parameters, "the secret key");
    }
}
