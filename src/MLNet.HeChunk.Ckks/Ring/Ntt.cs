using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
        bool vector = VectorModular.IsSupported(q);
        int t = n;
        for (int m = 1; m < n; m <<= 1)
        {
            t >>= 1;
            if (vector && t >= 8)
            {
                ForwardStageVector(values, roots, m, t, q);
                continue;
            }

            for (int i = 0; i < m; i++)
            {
                ulong w = roots[m + i];
                ulong wShoup = rootsShoup[m + i];
                ref ulong x = ref Unsafe.Add(ref MemoryMarshal.GetReference(values), 2 * i * t);
                ref ulong y = ref Unsafe.Add(ref x, t);
                for (int j = 0; j < t; j++)
                {
                    ulong u = Unsafe.Add(ref x, j);
                    u = u >= twoQ ? u - twoQ : u;
                    ulong v = Modulus.MulShoupLazy(Unsafe.Add(ref y, j), w, wShoup, q);
                    Unsafe.Add(ref x, j) = u + v;
                    Unsafe.Add(ref y, j) = u - v + twoQ;
                }
            }
        }

        int start = 0;
        if (vector)
        {
            var qv = Vector512.Create(q);
            var twoQv = Vector512.Create(twoQ);
            ref ulong r = ref MemoryMarshal.GetReference(values);
            for (; start + 8 <= values.Length; start += 8)
            {
                Vector512<ulong> u = Vector512.LoadUnsafe(ref r, (nuint)start);
                u = Vector512.Min(u, u - twoQv);
                Vector512.Min(u, u - qv).StoreUnsafe(ref r, (nuint)start);
            }
        }

        for (int j = start; j < values.Length; j++)
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
        bool vector = VectorModular.IsSupported(q);
        int t = 1;
        for (int m = n >> 1; m >= 1; m >>= 1)
        {
            if (vector && t >= 8)
            {
                InverseStageVector(values, roots, m, t, q);
                t <<= 1;
                continue;
            }

            for (int i = 0; i < m; i++)
            {
                ulong w = roots[m + i];
                ulong wShoup = rootsShoup[m + i];
                ref ulong x = ref Unsafe.Add(ref MemoryMarshal.GetReference(values), 2 * i * t);
                ref ulong y = ref Unsafe.Add(ref x, t);
                for (int j = 0; j < t; j++)
                {
                    // Inputs in [0, 2q): the sum is folded back below 2q, the difference goes through Shoup.
                    ulong u = Unsafe.Add(ref x, j);
                    ulong v = Unsafe.Add(ref y, j);
                    ulong s = u + v;
                    Unsafe.Add(ref x, j) = s >= twoQ ? s - twoQ : s;
                    Unsafe.Add(ref y, j) = Modulus.MulShoupLazy(u - v + twoQ, w, wShoup, q);
                }
            }

            t <<= 1;
        }

        ulong nInv = tables.DegreeInverse;
        ulong nInvShoup = tables.DegreeInverseShoup;
        int first = 0;
        if (vector)
        {
            var qv = Vector512.Create(q);
            var nInvV = Vector512.Create(nInv);
            var nInvOverQ = Vector512.Create((double)nInv / q);
            ref ulong r = ref MemoryMarshal.GetReference(values);
            for (; first + 8 <= values.Length; first += 8)
            {
                Vector512<ulong> u = VectorModular.MulConstantLazy(Vector512.LoadUnsafe(ref r, (nuint)first), nInvV, nInvOverQ, qv);
                VectorModular.ReduceOnce(u, qv).StoreUnsafe(ref r, (nuint)first);
            }
        }

        for (int j = first; j < values.Length; j++)
        {
            ulong u = Modulus.MulShoupLazy(values[j], nInv, nInvShoup, q);
            values[j] = u >= q ? u - q : u;
        }
    }

    /// <summary>One Cooley-Tukey stage on eight lanes; every lane of a block shares the twiddle.</summary>
    private static void ForwardStageVector(Span<ulong> values, ReadOnlySpan<ulong> roots, int m, int t, ulong q)
    {
        var qv = Vector512.Create(q);
        var twoQ = Vector512.Create(q << 1);
        ref ulong start = ref MemoryMarshal.GetReference(values);
        for (int i = 0; i < m; i++)
        {
            ulong w = roots[m + i];
            var wv = Vector512.Create(w);
            var wOverQ = Vector512.Create((double)w / q);
            ref ulong x = ref Unsafe.Add(ref start, 2 * i * t);
            ref ulong y = ref Unsafe.Add(ref x, t);
            for (int j = 0; j < t; j += 8)
            {
                Vector512<ulong> u = Vector512.LoadUnsafe(ref x, (nuint)j);
                u = Vector512.Min(u, u - twoQ);
                Vector512<ulong> v = VectorModular.MulConstantLazy(Vector512.LoadUnsafe(ref y, (nuint)j), wv, wOverQ, qv);
                (u + v).StoreUnsafe(ref x, (nuint)j);
                (u - v + twoQ).StoreUnsafe(ref y, (nuint)j);
            }
        }
    }

    /// <summary>One Gentleman-Sande stage on eight lanes.</summary>
    private static void InverseStageVector(Span<ulong> values, ReadOnlySpan<ulong> roots, int m, int t, ulong q)
    {
        var qv = Vector512.Create(q);
        var twoQ = Vector512.Create(q << 1);
        ref ulong start = ref MemoryMarshal.GetReference(values);
        for (int i = 0; i < m; i++)
        {
            ulong w = roots[m + i];
            var wv = Vector512.Create(w);
            var wOverQ = Vector512.Create((double)w / q);
            ref ulong x = ref Unsafe.Add(ref start, 2 * i * t);
            ref ulong y = ref Unsafe.Add(ref x, t);
            for (int j = 0; j < t; j += 8)
            {
                Vector512<ulong> u = Vector512.LoadUnsafe(ref x, (nuint)j);
                Vector512<ulong> v = Vector512.LoadUnsafe(ref y, (nuint)j);
                Vector512<ulong> s = u + v;
                Vector512.Min(s, s - twoQ).StoreUnsafe(ref x, (nuint)j);
                VectorModular.MulConstantLazy(u - v + twoQ, wv, wOverQ, qv).StoreUnsafe(ref y, (nuint)j);
            }
        }
    }
}
