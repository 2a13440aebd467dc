using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks.Rlwe;

/// <summary>
/// Hybrid key switching (RNS digit decomposition, one digit per ciphertext prime, special primes P). Switching a
/// polynomial c from key s' to s: decompose c into its residues d_i = [c]_(q_i), lift each to Q_l ∪ P, take the inner
/// product with the key (b_i, a_i), and divide by P. The decomposition is the expensive part; it is exposed on its
/// own so that many rotations of one ciphertext share it (hoisting): an automorphism commutes with the decomposition
/// and, in the NTT domain, is only a permutation of the lifted digits.
/// </summary>
internal sealed class KeySwitcher
{
    private readonly CkksParameters _parameters;
    private readonly RingContext _ring;
    private readonly int _degreeOfParallelism;

    public KeySwitcher(CkksParameters parameters, int degreeOfParallelism)
    {
        _parameters = parameters;
        _ring = parameters.Ring;
        _degreeOfParallelism = degreeOfParallelism;
        if (_ring.PCount == 0)
        {
            throw new InvalidOperationException("these parameters have no special primes, so key switching (relinearization, rotation) is not available");
        }
    }

    /// <summary>
    /// The lifted digits of <paramref name="c"/> (NTT domain, rows 0..level). Digit i has rows 0..level followed by
    /// the special primes, all in the NTT domain.
    /// </summary>
    public RnsPoly[] Decompose(RnsPoly c)
    {
        int level = c.ResidueCount - 1;
        int rows = level + 1 + _ring.PCount;
        RnsPoly coefficients = RnsPoly.Rent(_ring.Degree, level + 1);
        c.AllResidues.CopyTo(coefficients.Coefficients);
        _ring.InverseNtt(coefficients, _degreeOfParallelism);
        var digits = new RnsPoly[level + 1];
        Parallelism.For(level + 1, _degreeOfParallelism, i =>
        {
            RnsPoly digit = RnsPoly.Rent(_ring.Degree, rows);
            ReadOnlySpan<ulong> source = coefficients.Residue(i);
            for (int r = 0; r < rows; r++)
            {
                int modulusIndex = _ring.ModulusOfExtendedRow(r, level);
                Span<ulong> row = digit.Residue(r);
                if (modulusIndex == i)
                {
                    // The digit's own prime: its NTT is the input row itself.
                    c.Residue(i).CopyTo(row);
                    continue;
                }

                Modulus target = _ring.Moduli[modulusIndex];
                if (_ring.Moduli[i].Value < target.Value)
                {
                    source.CopyTo(row);
                }
                else
                {
                    PolyArithmetic.ReduceFrom(source, _ring.Moduli[i].Value, row, target);
                }

                Ntt.Forward(row, _ring.Tables[modulusIndex]);
            }

            digits[i] = digit;
        });
        coefficients.ReturnToPool();
        return digits;
    }

    /// <summary>
    /// (out0, out1) at the digits' level with out0 + out1*s ≈ σ(c)*s', where σ is the automorphism given by
    /// <paramref name="permutation"/> (null for the identity) and s' is the key's source secret.
    /// </summary>
    public void Apply(RnsPoly[] digits, KeySwitchingKey key, int[]? permutation, RnsPoly out0, RnsPoly out1)
    {
        _parameters.EnsureSame(key.Parameters, "the key-switching key");
        int level = digits.Length - 1;
        CheckLevel(key, level);

        int rows = level + 1 + _ring.PCount;
        int n = _ring.Degree;
        RnsPoly acc0 = RnsPoly.Rent(n, rows);
        RnsPoly acc1 = RnsPoly.Rent(n, rows);
        Parallelism.For(rows, _degreeOfParallelism, r =>
        {
            int modulusIndex = _ring.ModulusOfExtendedRow(r, level);
            Modulus m = _ring.Moduli[modulusIndex];
            int keyRow = key.RowOf(modulusIndex);
            Span<ulong> a0 = acc0.Residue(r);
            Span<ulong> a1 = acc1.Residue(r);
            a0.Clear();
            a1.Clear();
            ulong[]? permutedBuffer = permutation is null ? null : System.Buffers.ArrayPool<ulong>.Shared.Rent(n);
            Span<ulong> permuted = permutedBuffer.AsSpan(0, permutation is null ? 0 : n);
            for (int i = 0; i <= level; i++)
            {
                ReadOnlySpan<ulong> d = digits[i].Residue(r);
                ReadOnlySpan<ulong> kb = key.B[i].Residue(keyRow);
                ReadOnlySpan<ulong> ka = key.A[i].Residue(keyRow);
                if (permutation is not null)
                {
                    // Apply the automorphism to the lifted digit first, so the products stay contiguous (vectorizable).
                    PolyArithmetic.Permute(d, permutation, permuted);
                    d = permuted;
                }

                PolyArithmetic.MulAdd(d, kb, a0, m);
                PolyArithmetic.MulAdd(d, ka, a1, m);
            }

            if (permutedBuffer is not null)
            {
                System.Buffers.ArrayPool<ulong>.Shared.Return(permutedBuffer);
            }
        });

        _ring.DivideBySpecialPrimes(acc0, level, out0, _degreeOfParallelism);
        _ring.DivideBySpecialPrimes(acc1, level, out1, _degreeOfParallelism);
        acc0.ReturnToPool();
        acc1.ReturnToPool();
    }

    /// <summary>
    /// (out0, out1) at the level of <paramref name="c"/> with out0 + out1*s ≈ c*s': the values of
    /// <see cref="Decompose"/> followed by <see cref="Apply"/> (bit-identical), computed row by row without
    /// materializing the lifted digits. For each target row, every digit is lifted into one scratch row, transformed and
    /// multiplied into two lazily reduced accumulators; the special rows come first, so that each ciphertext row can
    /// then be divided by P as soon as its inner product is done. The working set per row stays a few rows wide
    /// instead of (l+1)(l+1+k) rows.
    /// </summary>
    public void Switch(RnsPoly c, KeySwitchingKey key, RnsPoly out0, RnsPoly out1)
    {
        _parameters.EnsureSame(key.Parameters, "the key-switching key");
        int level = c.ResidueCount - 1;
        CheckLevel(key, level);
        int n = _ring.Degree;
        int pCount = _ring.PCount;
        RnsPoly coefficients = RnsPoly.Rent(n, level + 1);
        c.AllResidues.CopyTo(coefficients.Coefficients);
        _ring.InverseNtt(coefficients, _degreeOfParallelism);
        RnsPoly special0 = RnsPoly.Rent(n, pCount);
        RnsPoly special1 = RnsPoly.Rent(n, pCount);
        Parallelism.For(pCount, _degreeOfParallelism, k =>
        {
            int modulusIndex = _ring.SpecialRow(k);
            ulong[] scratch = System.Buffers.ArrayPool<ulong>.Shared.Rent(n);
            InnerProductRow(c, coefficients, key, level, modulusIndex, special0.Residue(k), special1.Residue(k), scratch.AsSpan(0, n));
            System.Buffers.ArrayPool<ulong>.Shared.Return(scratch);
            Ntt.Inverse(special0.Residue(k), _ring.Tables[modulusIndex]);
            Ntt.Inverse(special1.Residue(k), _ring.Tables[modulusIndex]);
        });
        _ring.Conversions.PrepareSpecialRows(special0);
        _ring.Conversions.PrepareSpecialRows(special1);
        Parallelism.For(level + 1, _degreeOfParallelism, j =>
        {
            ulong[] buffer = System.Buffers.ArrayPool<ulong>.Shared.Rent(3 * n);
            Span<ulong> acc0 = buffer.AsSpan(0, n);
            Span<ulong> acc1 = buffer.AsSpan(n, n);
            Span<ulong> scratch = buffer.AsSpan(2 * n, n);
            InnerProductRow(c, coefficients, key, level, j, acc0, acc1, scratch);
            _ring.Conversions.DivideRowBySpecialProduct(acc0, special0, j, _ring.Tables[j], scratch, out0.Residue(j));
            _ring.Conversions.DivideRowBySpecialProduct(acc1, special1, j, _ring.Tables[j], scratch, out1.Residue(j));
            System.Buffers.ArrayPool<ulong>.Shared.Return(buffer);
        });
        coefficients.ReturnToPool();
        special0.ReturnToPool();
        special1.ReturnToPool();
    }

    /// <summary>
    /// Row <paramref name="modulusIndex"/> of the key-switching inner product, fully reduced: sum over digits i of
    /// NTT(lift of [c]_(q_i)) * (b_i, a_i). The digit of the row's own prime is c's row itself (already transformed).
    /// </summary>
    private void InnerProductRow(RnsPoly c, RnsPoly coefficients, KeySwitchingKey key, int level, int modulusIndex, Span<ulong> acc0, Span<ulong> acc1, Span<ulong> scratch)
    {
        Modulus target = _ring.Moduli[modulusIndex];
        NttTables table = _ring.Tables[modulusIndex];
        for (int i = 0; i <= level; i++)
        {
            ReadOnlySpan<ulong> d;
            if (modulusIndex == i)
            {
                d = c.Residue(i);
            }
            else
            {
                ReadOnlySpan<ulong> source = coefficients.Residue(i);
                ulong sourceModulus = _ring.Moduli[i].Value;
                if (sourceModulus < target.Value)
                {
                    source.CopyTo(scratch);
                }
                else
                {
                    PolyArithmetic.ReduceFrom(source, sourceModulus, scratch, target);
                }

                Ntt.Forward(scratch, table);
                d = scratch;
            }

            int keyRow = key.RowOf(modulusIndex);
            PolyArithmetic.MulAddPairLazy(d, key.B[i].Residue(keyRow), key.A[i].Residue(keyRow), acc0, acc1, target, first: i == 0);
        }

        PolyArithmetic.ReduceLazySums(acc0, target);
        PolyArithmetic.ReduceLazySums(acc1, target);
    }

    /// <summary>A key made for a maximum level switches ciphertexts at that level or below (it lacks the higher digits and rows).</summary>
    private static void CheckLevel(KeySwitchingKey key, int level)
    {
        if (level > key.MaxLevel)
        {
            throw new ArgumentException(
                $"the key-switching key was made for ciphertexts up to level {key.MaxLevel}; this ciphertext is at level {level}. " +
                "Generate the key for a higher maximum level, or lower the ciphertext's level first");
        }
    }

    /// <summary>Gives the digits of <see cref="Decompose"/> back to the pool.</summary>
    public static void Release(RnsPoly[] digits)
    {
        foreach (RnsPoly digit in digits)
        {
            digit.ReturnToPool();
        }
    }
}
