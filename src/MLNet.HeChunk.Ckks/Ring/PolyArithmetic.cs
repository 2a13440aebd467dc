using System.Runtime.CompilerServices;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>Coefficient-wise arithmetic on one residue row modulo one prime; all inputs fully reduced.</summary>
internal static class PolyArithmetic
{
    public static void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, ulong q)
    {
        for (int i = 0; i < result.Length; i++)
        {
            ulong s = a[i] + b[i];
            result[i] = s >= q ? s - q : s;
        }
    }

    public static void Sub(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, ulong q)
    {
        for (int i = 0; i < result.Length; i++)
        {
            ulong d = a[i] - b[i];
            result[i] = a[i] >= b[i] ? d : d + q;
        }
    }

    public static void Negate(ReadOnlySpan<ulong> a, Span<ulong> result, ulong q)
    {
        for (int i = 0; i < result.Length; i++)
        {
            ulong v = a[i];
            result[i] = v == 0 ? 0 : q - v;
        }
    }

    public static void Mul(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, Modulus modulus)
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = modulus.Mul(a[i], b[i]);
        }
    }

    /// <summary>result += a * b mod q.</summary>
    public static void MulAdd(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, Modulus modulus)
    {
        ulong q = modulus.Value;
        for (int i = 0; i < result.Length; i++)
        {
            ulong s = result[i] + modulus.Mul(a[i], b[i]);
            result[i] = s >= q ? s - q : s;
        }
    }

    /// <summary>result = a * c mod q for a constant c &lt; q (Shoup).</summary>
    public static void MulScalar(ReadOnlySpan<ulong> a, ulong c, Span<ulong> result, Modulus modulus)
    {
        ulong q = modulus.Value;
        ulong cShoup = modulus.ShoupOf(c);
        for (int i = 0; i < result.Length; i++)
        {
            ulong r = Modulus.MulShoupLazy(a[i], c, cShoup, q);
            result[i] = r >= q ? r - q : r;
        }
    }

    /// <summary>result = (a - b) * c mod q for a constant c (used by rescaling and modulus switching).</summary>
    public static void SubMulScalar(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, ulong c, Span<ulong> result, Modulus modulus)
    {
        ulong q = modulus.Value;
        ulong cShoup = modulus.ShoupOf(c);
        for (int i = 0; i < result.Length; i++)
        {
            ulong d = a[i] + q - b[i];
            ulong r = Modulus.MulShoupLazy(d, c, cShoup, q);
            result[i] = r >= q ? r - q : r;
        }
    }

    public static void AddScalar(Span<ulong> a, ulong c, ulong q)
    {
        for (int i = 0; i < a.Length; i++)
        {
            ulong s = a[i] + c;
            a[i] = s >= q ? s - q : s;
        }
    }

    /// <summary>Reduces values of another (possibly larger) modulus into this one.</summary>
    public static void ReduceFrom(ReadOnlySpan<ulong> source, Span<ulong> result, Modulus modulus)
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = modulus.Reduce(source[i]);
        }
    }

    /// <summary>Applies a permutation of evaluation points (an automorphism in the NTT domain).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Permute(ReadOnlySpan<ulong> source, ReadOnlySpan<int> permutation, Span<ulong> result)
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = source[permutation[i]];
        }
    }
}
