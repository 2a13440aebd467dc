using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Constants and routines that move between RNS bases: dropping the last ciphertext prime (rescale),
/// dividing by the special-prime product P (end of key switching), and reconstructing centered integers
/// (decoding). All constants are computed once from the modulus chain.
/// </summary>
internal sealed class RnsConversions
{
    private readonly Modulus[] _moduli;
    private readonly int _qCount;
    private readonly int _pCount;

    // _lastInverse[l][j] = q_l^-1 mod q_j for j < l.
    private readonly ulong[][] _lastInverse;

    // Special-prime basis conversion P -> Q: (P/p_k)^-1 mod p_k and (P/p_k) mod q_j; P^-1 mod q_j; P mod q_j.
    private readonly ulong[] _pHatInverseModP;
    private readonly ulong[][] _pHatModQ;
    private readonly ulong[] _pInverseModQ;
    private readonly ulong[] _pModQ;

    // Garner mixed radix: _garnerInverse[i] = (q_0...q_(i-1))^-1 mod q_i, _radixModQ[m][i] = (q_0...q_(m-1)) mod q_i.
    private readonly ulong[] _garnerInverse;
    private readonly ulong[][] _radixModQ;
    private readonly double[] _radixAsDouble;

    public RnsConversions(Modulus[] moduli, int qCount)
    {
        _moduli = moduli;
        _qCount = qCount;
        _pCount = moduli.Length - qCount;

        _lastInverse = new ulong[qCount][];
        for (int l = 0; l < qCount; l++)
        {
            _lastInverse[l] = new ulong[l];
            for (int j = 0; j < l; j++)
            {
                _lastInverse[l][j] = moduli[j].Inverse(moduli[l].Value % moduli[j].Value);
            }
        }

        _pHatInverseModP = new ulong[_pCount];
        _pHatModQ = new ulong[_pCount][];
        for (int k = 0; k < _pCount; k++)
        {
            Modulus pk = moduli[qCount + k];
            ulong hatModPk = 1;
            for (int m = 0; m < _pCount; m++)
            {
                if (m != k)
                {
                    hatModPk = pk.Mul(hatModPk, moduli[qCount + m].Value % pk.Value);
                }
            }

            _pHatInverseModP[k] = pk.Inverse(hatModPk);
            _pHatModQ[k] = new ulong[qCount];
            for (int j = 0; j < qCount; j++)
            {
                ulong hat = 1;
                for (int m = 0; m < _pCount; m++)
                {
                    if (m != k)
                    {
                        hat = moduli[j].Mul(hat, moduli[j].Reduce(moduli[qCount + m].Value));
                    }
                }

                _pHatModQ[k][j] = hat;
            }
        }

        _pModQ = new ulong[qCount];
        _pInverseModQ = new ulong[qCount];
        for (int j = 0; j < qCount; j++)
        {
            ulong product = 1;
            for (int k = 0; k < _pCount; k++)
            {
                product = moduli[j].Mul(product, moduli[j].Reduce(moduli[qCount + k].Value));
            }

            _pModQ[j] = product;
            _pInverseModQ[j] = _pCount == 0 ? 1 : moduli[j].Inverse(product);
        }

        _garnerInverse = new ulong[qCount];
        _radixModQ = new ulong[qCount][];
        _radixAsDouble = new double[qCount];
        double radix = 1;
        for (int m = 0; m < qCount; m++)
        {
            _radixAsDouble[m] = radix;
            radix *= moduli[m].Value;
            _radixModQ[m] = new ulong[qCount];
            for (int i = 0; i < qCount; i++)
            {
                ulong r = 1;
                for (int t = 0; t < m; t++)
                {
                    r = moduli[i].Mul(r, moduli[i].Reduce(moduli[t].Value));
                }

                _radixModQ[m][i] = r;
            }

            _garnerInverse[m] = m == 0 ? 1 : moduli[m].Inverse(_radixModQ[m][m]);
        }
    }

    /// <summary>P mod q_j: the factor the key-switching gadget carries on row j.</summary>
    public ulong SpecialProductModQ(int j) => _pModQ[j];

    /// <summary>
    /// Divides an NTT-domain polynomial by its last prime q_l with rounding (rescale), writing rows 0..l-1 of
    /// <paramref name="destination"/>: out_j = (x_j - NTT([x_l]_centered mod q_j)) * q_l^-1 mod q_j. Costs one inverse
    /// NTT of row l and one forward NTT per remaining row, plus pointwise work. <paramref name="destination"/> needs
    /// room for l rows and may be <paramref name="source"/> itself (row j is read before it is written); its row count
    /// is set to l.
    /// </summary>
    public void DivideByLastPrime(RnsPoly source, RnsPoly destination, NttTables[] tables, int degreeOfParallelism)
    {
        int level = source.ResidueCount - 1;
        int n = source.Degree;
        Modulus last = _moduli[level];
        ulong half = last.Value >> 1;
        ulong[] lastRow = System.Buffers.ArrayPool<ulong>.Shared.Rent(n);
        Span<ulong> lastSpan = lastRow.AsSpan(0, n);
        source.Residue(level).CopyTo(lastSpan);
        Ntt.Inverse(lastSpan, tables[level]);
        Parallelism.For(level, degreeOfParallelism, j =>
        {
            Modulus qj = _moduli[j];
            ulong[] correction = System.Buffers.ArrayPool<ulong>.Shared.Rent(n);
            Span<ulong> c = correction.AsSpan(0, n);
            CenteredReduce(lastRow.AsSpan(0, n), last.Value, half, c, qj);
            Ntt.Forward(c, tables[j]);
            PolyArithmetic.SubMulScalar(source.Coefficients.AsSpan(j * n, n), c, _lastInverse[level][j], destination.Coefficients.AsSpan(j * n, n), qj);
            System.Buffers.ArrayPool<ulong>.Shared.Return(correction);
        });
        System.Buffers.ArrayPool<ulong>.Shared.Return(lastRow);
        if (ReferenceEquals(source, destination))
        {
            destination.Truncate(level);
        }
        else
        {
            destination.WithRows(level);
        }
    }

    /// <summary>
    /// Divides an accumulator over the basis Q_l ∪ P by P (end of hybrid key switching), writing the level-l result.
    /// <paramref name="specialRowsCoefficient"/> are the P rows in the coefficient domain; the Q rows of
    /// <paramref name="accumulator"/> are in the NTT domain. Uses fast basis conversion P -> Q, whose overflow by a
    /// small multiple of P adds at most k to the error after the division.
    /// </summary>
    public void DivideBySpecialProductNtt(RnsPoly accumulator, int level, ulong[][] specialRowsCoefficient, NttTables[] tables, RnsPoly result, int degreeOfParallelism)
    {
        int n = accumulator.Degree;
        RnsPoly special = RnsPoly.Rent(n, _pCount);
        for (int k = 0; k < _pCount; k++)
        {
            specialRowsCoefficient[k].AsSpan(0, n).CopyTo(special.Residue(k));
        }

        PrepareSpecialRows(special);
        Parallelism.For(level + 1, degreeOfParallelism, j =>
        {
            ulong[] buffer = System.Buffers.ArrayPool<ulong>.Shared.Rent(n);
            try
            {
                DivideRowBySpecialProduct(accumulator.Residue(j), special, j, tables[j], buffer.AsSpan(0, n), result.Residue(j));
            }
            finally
            {
                System.Buffers.ArrayPool<ulong>.Shared.Return(buffer);
            }
        });
        special.ReturnToPool();
    }

    /// <summary>
    /// Prepares the special rows (coefficient domain, one row per special prime, in place) for
    /// the row divisions (DivideRowBySpecialProduct): with several special primes, y_k = [x_k * (P/p_k)^-1]_(p_k).
    /// </summary>
    public void PrepareSpecialRows(RnsPoly special)
    {
        if (_pCount < 2)
        {
            return;
        }

        for (int k = 0; k < _pCount; k++)
        {
            PolyArithmetic.MulScalar(special.Residue(k), _pHatInverseModP[k], special.Residue(k), _moduli[_qCount + k]);
        }
    }

    /// <summary>
    /// One row of the division by P: result = (accumulator - NTT(lift of x mod P to q_j)) * P^-1 mod q_j, where
    /// <paramref name="preparedSpecial"/> comes from <see cref="PrepareSpecialRows"/> and <paramref name="scratch"/> is
    /// N words. <paramref name="accumulator"/> and <paramref name="result"/> may be the same row.
    /// </summary>
    public void DivideRowBySpecialProduct(ReadOnlySpan<ulong> accumulator, RnsPoly preparedSpecial, int j, NttTables table, Span<ulong> scratch, Span<ulong> result)
        => DivideRowBySpecialProduct(accumulator, preparedSpecial, j, table, scratch, result, default);

    /// <summary>
    /// <see cref="DivideRowBySpecialProduct(ReadOnlySpan{ulong}, RnsPoly, int, NttTables, Span{ulong}, Span{ulong})"/> for
    /// an accumulator that still lacks a small error polynomial <paramref name="error"/> (coefficient domain, empty for
    /// none) on its Q rows: (acc + NTT(e) - NTT(lift)) * P^-1 = (acc - NTT(lift - e)) * P^-1, so the error costs no NTT of
    /// its own. Public-key encryption uses it; the special rows must already include the error.
    /// </summary>
    public void DivideRowBySpecialProduct(ReadOnlySpan<ulong> accumulator, RnsPoly preparedSpecial, int j, NttTables table, Span<ulong> scratch, Span<ulong> result, ReadOnlySpan<long> error)
    {
        Modulus qj = _moduli[j];
        int n = scratch.Length;
        if (_pCount == 1)
        {
            // One special prime: the conversion is exact; use the centered representative for rounding.
            Modulus p0 = _moduli[_qCount];
            CenteredReduce(preparedSpecial.Residue(0), p0.Value, p0.Value >> 1, scratch, qj);
        }
        else
        {
            // sum_k y_k * (P/p_k) mod q_j approximates x mod P lifted to q_j.
            scratch.Clear();
            for (int k = 0; k < _pCount; k++)
            {
                ulong factor = _pHatModQ[k][j];
                ReadOnlySpan<ulong> yk = preparedSpecial.Residue(k);
                for (int i = 0; i < n; i++)
                {
                    scratch[i] = qj.Add(scratch[i], qj.Mul(qj.Reduce(yk[i]), factor));
                }
            }
        }

        if (!error.IsEmpty)
        {
            SubtractSmall(scratch, error, qj.Value);
        }

        Ntt.Forward(scratch, table);
        PolyArithmetic.SubMulScalar(accumulator, scratch, _pInverseModQ[j], result, qj);
    }

    /// <summary>values = values - e mod q for fully reduced values and small signed e (|e| &lt; q), branch-free.</summary>
    private static void SubtractSmall(Span<ulong> values, ReadOnlySpan<long> e, ulong q)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var qv = Vector512.Create(q);
            ref ulong rv = ref MemoryMarshal.GetReference(values);
            ref long re = ref MemoryMarshal.GetReference(e);
            for (; i + 8 <= values.Length; i += 8)
            {
                // v - e lies in (-q, 2q): add q where negative, then subtract q where at or above q.
                Vector512<ulong> d = Vector512.LoadUnsafe(ref rv, (nuint)i) - Vector512.LoadUnsafe(ref re, (nuint)i).AsUInt64();
                d += Vector512.ShiftRightArithmetic(d.AsInt64(), 63).AsUInt64() & qv;
                Vector512.Min(d, d - qv).StoreUnsafe(ref rv, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            ulong d = values[i] - (ulong)e[i];
            d += (ulong)((long)d >> 63) & q;
            values[i] = d >= q ? d - q : d;
        }
    }

    /// <summary>
    /// Reconstructs the centered integer of each coefficient (rows 0..count-1, coefficient domain) as a double,
    /// through a balanced mixed-radix (Garner) representation so that small values come out exactly even when
    /// the modulus product is far beyond double range.
    /// </summary>
    public void ReconstructCentered(RnsPoly poly, Span<double> destination)
    {
        int count = poly.ResidueCount;
        int n = poly.Degree;
        if (count == 1)
        {
            ulong q = _moduli[0].Value;
            ulong half = q >> 1;
            ReadOnlySpan<ulong> row = poly.Residue(0);
            for (int i = 0; i < n; i++)
            {
                ulong v = row[i];
                destination[i] = v > half ? -(double)(q - v) : v;
            }

            return;
        }

        Span<long> digits = stackalloc long[count];
        for (int i = 0; i < n; i++)
        {
            for (int m = 0; m < count; m++)
            {
                Modulus qm = _moduli[m];
                ulong value = poly.Coefficients[m * n + i];
                // Subtract the part already represented by lower digits, then divide by their radix.
                for (int t = 0; t < m; t++)
                {
                    ulong digitMod = qm.ReduceSigned(digits[t]);
                    value = qm.Sub(value, qm.Mul(digitMod, _radixModQ[t][m]));
                }

                value = qm.Mul(value, _garnerInverse[m]);
                digits[m] = value > qm.Value >> 1 ? -(long)(qm.Value - value) : (long)value;
            }

            double sum = 0;
            for (int m = count - 1; m >= 0; m--)
            {
                sum += digits[m] * _radixAsDouble[m];
            }

            destination[i] = sum;
        }
    }

    /// <summary>
    /// Maps values of modulus <paramref name="from"/> to their centered representatives mod q: v &gt; from/2 stands for
    /// v - from. Branch-free on eight lanes when both moduli are below 2^50.
    /// </summary>
    internal static void CenteredReduce(ReadOnlySpan<ulong> source, ulong from, ulong half, Span<ulong> destination, Modulus q)
    {
        ulong fromModQ = q.Reduce(from);
        int i = 0;
        if (VectorModular.IsSupported(q.Value) && VectorModular.IsSupported(from))
        {
            var qv = Vector512.Create(q.Value);
            var inverse = Vector512.Create(1.0 / q.Value);
            var halfV = Vector512.Create(half);
            var fromModQv = Vector512.Create(fromModQ);
            ref ulong rs = ref MemoryMarshal.GetReference(source);
            ref ulong rd = ref MemoryMarshal.GetReference(destination);
            for (; i + 8 <= destination.Length; i += 8)
            {
                Vector512<ulong> v = Vector512.LoadUnsafe(ref rs, (nuint)i);
                Vector512<ulong> r = VectorModular.Reduce(v, inverse, qv);
                // All ones where v > half (half - v is negative; both are below 2^50).
                Vector512<ulong> negative = Vector512.ShiftRightArithmetic((halfV - v).AsInt64(), 63).AsUInt64();
                Vector512<ulong> d = r - (fromModQv & negative);
                (d + (Vector512.ShiftRightArithmetic(d.AsInt64(), 63).AsUInt64() & qv)).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < destination.Length; i++)
        {
            ulong v = source[i];
            ulong r = q.Reduce(v);
            // v > from/2 stands for the negative value v - from.
            destination[i] = v > half ? q.Sub(r, fromModQ) : r;
        }
    }
}
