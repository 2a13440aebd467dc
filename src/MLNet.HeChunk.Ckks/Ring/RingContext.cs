using System.Collections.Concurrent;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Everything precomputed for one ring Z[X]/(X^N + 1) and one modulus chain: the ciphertext primes q_0..q_L
/// followed by the special primes p_0..p_(k-1) used only inside key switching. Built once per parameter set.
/// Row index convention: rows 0..L are the q primes, rows L+1..L+k the special primes.
/// </summary>
internal sealed class RingContext
{
    private readonly ConcurrentDictionary<ulong, int[]> _galoisPermutations = new();

    public RingContext(int degree, IReadOnlyList<ulong> ciphertextPrimes, IReadOnlyList<ulong> specialPrimes)
    {
        Degree = degree;
        LogDegree = System.Numerics.BitOperations.Log2((uint)degree);
        QCount = ciphertextPrimes.Count;
        PCount = specialPrimes.Count;
        Moduli = ciphertextPrimes.Concat(specialPrimes).Select(p => new Modulus(p)).ToArray();
        Tables = Moduli.Select(m => new NttTables(m, degree)).ToArray();
        Conversions = new RnsConversions(Moduli, QCount);
    }

    public int Degree { get; }

    public int LogDegree { get; }

    /// <summary>Number of ciphertext primes (L + 1).</summary>
    public int QCount { get; }

    /// <summary>Number of special primes (k).</summary>
    public int PCount { get; }

    public int MaxLevel => QCount - 1;

    public Modulus[] Moduli { get; }

    public NttTables[] Tables { get; }

    public RnsConversions Conversions { get; }

    /// <summary>Row index of special prime <paramref name="k"/>.</summary>
    public int SpecialRow(int k) => QCount + k;

    /// <summary>
    /// The rows of a level-<paramref name="level"/> polynomial extended by the special primes: q_0..q_level, then
    /// p_0..p_(k-1) (the layout of key-switching accumulators and of public-key encryption before its division by P).
    /// </summary>
    public (Modulus[] Moduli, NttTables[] Tables) ExtendedBasis(int level)
    {
        int rows = level + 1 + PCount;
        var moduli = new Modulus[rows];
        var tables = new NttTables[rows];
        for (int r = 0; r < rows; r++)
        {
            int index = ModulusOfExtendedRow(r, level);
            moduli[r] = Moduli[index];
            tables[r] = Tables[index];
        }

        return (moduli, tables);
    }

    /// <summary>Prime index of row <paramref name="row"/> of a level-<paramref name="level"/> extended polynomial.</summary>
    public int ModulusOfExtendedRow(int row, int level) => row <= level ? row : QCount + (row - level - 1);

    /// <summary>
    /// Divides an extended polynomial (rows q_0..q_level in the NTT domain, then the special primes) by P with rounding,
    /// writing the level-<paramref name="level"/> result: the end of key switching and of public-key encryption.
    /// The special rows are consumed (their inverse NTT runs in place).
    /// </summary>
    public void DivideBySpecialPrimes(RnsPoly extended, int level, RnsPoly result, int degreeOfParallelism)
    {
        var special = new ulong[PCount][];
        for (int k = 0; k < PCount; k++)
        {
            Span<ulong> row = extended.Residue(level + 1 + k);
            Ntt.Inverse(row, Tables[SpecialRow(k)]);
            special[k] = System.Buffers.ArrayPool<ulong>.Shared.Rent(Degree);
            row.CopyTo(special[k]);
        }

        Conversions.DivideBySpecialProductNtt(extended, level, special, Tables, result, degreeOfParallelism);
        foreach (ulong[] row in special)
        {
            System.Buffers.ArrayPool<ulong>.Shared.Return(row);
        }
    }

    /// <summary>Forward NTT of every row in use (row i belongs to prime i).</summary>
    public void ForwardNtt(RnsPoly poly, int degreeOfParallelism)
        => Parallelism.For(poly.ResidueCount, degreeOfParallelism, i => Ntt.Forward(poly.Residue(i), Tables[i]));

    public void InverseNtt(RnsPoly poly, int degreeOfParallelism)
        => Parallelism.For(poly.ResidueCount, degreeOfParallelism, i => Ntt.Inverse(poly.Residue(i), Tables[i]));

    /// <summary>
    /// The permutation of NTT-domain slots that realizes X -> X^g. Output slot i holds the evaluation at
    /// psi^(2*rev(i)+1); the automorphism sends it the evaluation at psi^((2*rev(i)+1)*g).
    /// </summary>
    public int[] GaloisPermutation(ulong galoisElement)
    {
        return _galoisPermutations.GetOrAdd(galoisElement, g =>
        {
            ulong twoN = 2UL * (ulong)Degree;
            if ((g & 1) == 0 || g >= twoN)
            {
                throw new ArgumentException($"Galois element {g} is not odd and below 2N = {twoN}");
            }

            var permutation = new int[Degree];
            for (int i = 0; i < Degree; i++)
            {
                ulong exponent = 2UL * (ulong)NttTables.BitReverse(i, LogDegree) + 1;
                ulong mapped = exponent * g % twoN;
                permutation[i] = NttTables.BitReverse((int)((mapped - 1) >> 1), LogDegree);
            }

            return permutation;
        });
    }

    /// <summary>Galois element 5^step mod 2N (rotation of the slots to the left by <paramref name="step"/>).</summary>
    public ulong GaloisElementForRotation(int step)
    {
        int slots = Degree / 2;
        int normalized = ((step % slots) + slots) % slots;
        ulong twoN = 2UL * (ulong)Degree;
        ulong g = 1;
        for (int i = 0; i < normalized; i++)
        {
            g = g * 5 % twoN;
        }

        return g;
    }

    /// <summary>Galois element of complex conjugation of the slots.</summary>
    public ulong GaloisElementForConjugation => 2UL * (ulong)Degree - 1;
}
