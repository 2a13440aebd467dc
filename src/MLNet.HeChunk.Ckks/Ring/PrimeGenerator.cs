namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Deterministic generation of NTT-friendly primes (q = 1 mod 2N), so that a parameter literal given as bit sizes
/// always yields the same chain on every machine.
/// </summary>
internal static class PrimeGenerator
{
    // These bases make Miller-Rabin deterministic for every 64-bit integer (Sinclair's set).
    private static readonly ulong[] WitnessBases = [2, 325, 9375, 28178, 450775, 9780504, 1795265022];

    public static bool IsPrime(ulong n)
    {
        if (n < 2)
        {
            return false;
        }

        foreach (ulong p in (ReadOnlySpan<ulong>)[2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37])
        {
            if (n % p == 0)
            {
                return n == p;
            }
        }

        ulong d = n - 1;
        int r = 0;
        while ((d & 1) == 0)
        {
            d >>= 1;
            r++;
        }

        foreach (ulong witness in WitnessBases)
        {
            ulong a = witness % n;
            if (a == 0)
            {
                continue;
            }

            ulong x = PowMod(a, d, n);
            if (x == 1 || x == n - 1)
            {
                continue;
            }

            bool composite = true;
            for (int i = 1; i < r; i++)
            {
                x = (ulong)((UInt128)x * x % n);
                if (x == n - 1)
                {
                    composite = false;
                    break;
                }
            }

            if (composite)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// For each requested bit size, the largest primes below 2^bits that are 1 mod 2N and not yet taken,
    /// in the order requested. Several requests of one size get successive (descending) primes.
    /// </summary>
    public static ulong[] Generate(int ringDegree, IReadOnlyList<int> bitSizes, IReadOnlyCollection<ulong>? exclude = null)
    {
        ulong step = 2UL * (ulong)ringDegree;
        var taken = new HashSet<ulong>(exclude ?? []);
        var result = new ulong[bitSizes.Count];
        for (int i = 0; i < bitSizes.Count; i++)
        {
            int bits = bitSizes[i];
            if (bits < 2 || bits > Modulus.MaxBits)
            {
                throw new ArgumentOutOfRangeException(nameof(bitSizes), $"prime bit size {bits} is outside [2, {Modulus.MaxBits}]");
            }

            ulong lower = 1UL << (bits - 1);
            // Largest candidate of the form k*2N + 1 below 2^bits.
            ulong candidate = ((1UL << bits) - 1) / step * step + 1;
            while (true)
            {
                if (candidate < lower || candidate <= step)
                {
                    throw new ArgumentException($"not enough {bits}-bit primes congruent to 1 mod {step} for this parameter set");
                }

                if (!taken.Contains(candidate) && IsPrime(candidate))
                {
                    break;
                }

                candidate -= step;
            }

            taken.Add(candidate);
            result[i] = candidate;
        }

        return result;
    }

    /// <summary>A generator of the multiplicative group's subgroup of order 2N: a primitive 2N-th root of unity mod q.</summary>
    public static ulong FindPrimitiveRoot(ulong q, ulong order)
    {
        var mod = new Modulus(q);
        if ((q - 1) % order != 0)
        {
            throw new ArgumentException($"{q} is not 1 mod {order}");
        }

        ulong cofactor = (q - 1) / order;
        // Deterministic search: the smallest x whose power has exact order `order` (a power of two).
        for (ulong x = 2; x < q; x++)
        {
            ulong g = mod.Pow(x, cofactor);
            if (mod.Pow(g, order / 2) == q - 1)
            {
                return g;
            }
        }

        throw new InvalidOperationException($"no primitive {order}-th root of unity modulo {q}");
    }

    private static ulong PowMod(ulong a, ulong e, ulong n)
    {
        ulong result = 1;
        while (e > 0)
        {
            if ((e & 1) != 0)
            {
                result = (ulong)((UInt128)result * a % n);
            }

            a = (ulong)((UInt128)a * a % n);
            e >>= 1;
        }

        return result;
    }
}
