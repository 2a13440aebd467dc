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
    /// Divides a coefficient-domain row set by its last prime q_l with rounding, in place on rows 0..l-1:
    /// out_j = (x_j - [x_l]_centered) * q_l^-1 mod q_j. <paramref name="lastRowCoefficient"/> is row l in the
    /// coefficient domain; the other rows of <paramref name="poly"/> are in the NTT domain, so the correction is transformed
    /// per row before subtracting.
    /// </summary>
    public void DivideByLastPrimeNtt(RnsPoly poly, ReadOnlySpan<ulong> lastRowCoefficient, NttTables[] tables, int degreeOfParallelism)
    {
        int level = poly.ResidueCount - 1;
        Modulus last = _moduli[level];
        ulong half = last.Value >> 1;
        ulong[] lastRow = System.Buffers.ArrayPool<ulong>.Shared.Rent(poly.Degree);
        lastRowCoefficient.CopyTo(lastRow);
        Parallelism.For(level, degreeOfParallelism, j =>
        {
            Modulus qj = _moduli[j];
            ulong[] correction = System.Buffers.ArrayPool<ulong>.Shared.Rent(poly.Degree);
            try
            {
                Span<ulong> c = correction.AsSpan(0, poly.Degree);
                CenteredReduce(lastRow.AsSpan(0, poly.Degree), last.Value, half, c, qj);
                Ntt.Forward(c, tables[j]);
                PolyArithmetic.SubMulScalar(poly.Residue(j), c, _lastInverse[level][j], poly.Residue(j), qj);
            }
            finally
            {
                System.Buffers.ArrayPool<ulong>.Shared.Return(correction);
            }
        });
        System.Buffers.ArrayPool<ulong>.Shared.Return(lastRow);
        poly.Truncate(level);
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
        // y_k = [x_k * (P/p_k)^-1]_{p_k}, then sum_k y_k * (P/p_k) mod q_j approximates x mod P lifted to q_j.
        ulong[][] y = new ulong[_pCount][];
        for (int k = 0; k < _pCount && _pCount > 1; k++)
        {
            Modulus pk = _moduli[_qCount + k];
            y[k] = new ulong[n];
            PolyArithmetic.MulScalar(specialRowsCoefficient[k].AsSpan(0, n), _pHatInverseModP[k], y[k], pk);
        }

        Parallelism.For(level + 1, degreeOfParallelism, j =>
        {
            Modulus qj = _moduli[j];
            ulong[] buffer = System.Buffers.ArrayPool<ulong>.Shared.Rent(n);
            try
            {
                Span<ulong> lifted = buffer.AsSpan(0, n);
                if (_pCount == 1)
                {
                    // One special prime: the conversion is exact; use the centered representative for rounding.
                    Modulus p0 = _moduli[_qCount];
                    CenteredReduce(specialRowsCoefficient[0].AsSpan(0, n), p0.Value, p0.Value >> 1, lifted, qj);
                }
                else
                {
                    lifted.Clear();
                    for (int k = 0; k < _pCount; k++)
                    {
                        ulong factor = _pHatModQ[k][j];
                        ulong[] yk = y[k];
                        for (int i = 0; i < n; i++)
                        {
                            lifted[i] = qj.Add(lifted[i], qj.Mul(qj.Reduce(yk[i]), factor));
                        }
                    }
                }

                Ntt.Forward(lifted, tables[j]);
                PolyArithmetic.SubMulScalar(accumulator.Residue(j), lifted, _pInverseModQ[j], result.Residue(j), qj);
            }
            finally
            {
                System.Buffers.ArrayPool<ulong>.Shared.Return(buffer);
            }
        });
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

    /// <summary>Maps values of modulus <paramref name="from"/> to their centered representatives mod q.</summary>
    private static void CenteredReduce(ReadOnlySpan<ulong> source, ulong from, ulong half, Span<ulong> destination, Modulus q)
    {
        ulong fromModQ = q.Reduce(from);
        for (int i = 0; i < destination.Length; i++)
        {
            ulong v = source[i];
            ulong r = q.Reduce(v);
            // v > from/2 stands for the negative value v - from.
            destination[i] = v > half ? q.Sub(r, fromModQ) : r;
        }
    }
}
