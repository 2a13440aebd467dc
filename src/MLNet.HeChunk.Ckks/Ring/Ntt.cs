namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// In-place negacyclic number-theoretic transform with Harvey's lazy butterflies: values travel in [0, 4q) between
/// stages and are fully reduced only once at the end, which saves a comparison per butterfly.
/// Forward: Cooley-Tukey, natural order in, bit-reversed order out (output k is the evaluation at
/// psi^(2*bitreverse(k)+1)). Inverse: Gentleman-Sande, bit-reversed in, natural out, scaled by 1/N.
/// </summary>
internal static class Ntt
{
    public static void Forward(Span<ulong> values, NttTables tables)
    {
        int n = tables.Degree;
        if (values.Length != n)
        {
            throw new ArgumentException($"expected {n} coefficients, got {values.Length}");
        }

        ulong q = tables.Modulus.Value;
        ulong twoQ = q << 1;
        ReadOnlySpan<ulong> roots = tables.Roots;
        ReadOnlySpan<ulong> rootsShoup = tables.RootsShoup;
        int t = n;
        for (int m = 1; m < n; m <<= 1)
        {
            t >>= 1;
            for (int i = 0; i < m; i++)
            {
                ulong w = roots[m + i];
                ulong wShoup = rootsShoup[m + i];
                Span<ulong> x = values.Slice(2 * i * t, t);
                Span<ulong> y = values.Slice(2 * i * t + t, t);
                for (int j = 0; j < x.Length; j++)
                {
                    ulong u = x[j];
                    u = u >= twoQ ? u - twoQ : u;
                    ulong v = Modulus.MulShoupLazy(y[j], w, wShoup, q);
                    x[j] = u + v;
                    y[j] = u - v + twoQ;
                }
            }
        }

        for (int j = 0; j < values.Length; j++)
        {
            ulong u = values[j];
            u = u >= twoQ ? u - twoQ : u;
            values[j] = u >= q ? u - q : u;
        }
    }

    public static void Inverse(Span<ulong> values, NttTables tables)
    {
        int n = tables.Degree;
        if (values.Length != n)
        {
            throw new ArgumentException($"expected {n} coefficients, got {values.Length}");
        }

        ulong q = tables.Modulus.Value;
        ulong twoQ = q << 1;
        ReadOnlySpan<ulong> roots = tables.InverseRoots;
        ReadOnlySpan<ulong> rootsShoup = tables.InverseRootsShoup;
        int t = 1;
        for (int m = n >> 1; m >= 1; m >>= 1)
        {
            for (int i = 0; i < m; i++)
            {
                ulong w = roots[m + i];
                ulong wShoup = rootsShoup[m + i];
                Span<ulong> x = values.Slice(2 * i * t, t);
                Span<ulong> y = values.Slice(2 * i * t + t, t);
                for (int j = 0; j < x.Length; j++)
                {
                    // Inputs in [0, 2q): the sum is folded back below 2q, the difference goes through Shoup.
                    ulong u = x[j];
                    ulong v = y[j];
                    ulong s = u + v;
                    x[j] = s >= twoQ ? s - twoQ : s;
                    y[j] = Modulus.MulShoupLazy(u - v + twoQ, w, wShoup, q);
                }
            }

            t <<= 1;
        }

        ulong nInv = tables.DegreeInverse;
        ulong nInvShoup = tables.DegreeInverseShoup;
        for (int j = 0; j < values.Length; j++)
        {
            ulong u = Modulus.MulShoupLazy(values[j], nInv, nInvShoup, q);
            values[j] = u >= q ? u - q : u;
        }
    }
}
