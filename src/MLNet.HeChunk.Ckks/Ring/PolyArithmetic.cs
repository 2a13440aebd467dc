using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Coefficient-wise arithmetic on one residue row modulo one prime; all inputs fully reduced. Rows whose prime is
/// below 2^50 go through eight-lane AVX-512 code (<see cref="VectorModular"/>) when the processor has it; the scalar
/// loop handles the rest and the tail.
/// </summary>
internal static class PolyArithmetic
{
    public static void Add(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, ulong q)
    {
        int i = 0;
        if (VectorModular.IsHardwareAccelerated)
        {
            var qv = Vector512.Create(q);
            ref ulong ra = ref MemoryMarshal.GetReference(a);
            ref ulong rb = ref MemoryMarshal.GetReference(b);
            ref ulong rr = ref MemoryMarshal.GetReference(result);
            for (; i + 8 <= result.Length; i += 8)
            {
                Vector512<ulong> sum = Vector512.LoadUnsafe(ref ra, (nuint)i) + Vector512.LoadUnsafe(ref rb, (nuint)i);
                VectorModular.ReduceOnce(sum, qv).StoreUnsafe(ref rr, (nuint)i);
            }
        }

        for (; i < result.Length; i++)
        {
            ulong s = a[i] + b[i];
            result[i] = s >= q ? s - q : s;
        }
    }

    public static void Sub(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, ulong q)
    {
        int i = 0;
        if (VectorModular.IsHardwareAccelerated)
        {
            var qv = Vector512.Create(q);
            ref ulong ra = ref MemoryMarshal.GetReference(a);
            ref ulong rb = ref MemoryMarshal.GetReference(b);
            ref ulong rr = ref MemoryMarshal.GetReference(result);
            for (; i + 8 <= result.Length; i += 8)
            {
                Vector512<ulong> difference = Vector512.LoadUnsafe(ref ra, (nuint)i) + qv - Vector512.LoadUnsafe(ref rb, (nuint)i);
                VectorModular.ReduceOnce(difference, qv).StoreUnsafe(ref rr, (nuint)i);
            }
        }

        for (; i < result.Length; i++)
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
        int i = 0;
        if (VectorModular.IsSupported(modulus.Value))
        {
            var qv = Vector512.Create(modulus.Value);
            var inverse = Vector512.Create(1.0 / modulus.Value);
            ref ulong ra = ref MemoryMarshal.GetReference(a);
            ref ulong rb = ref MemoryMarshal.GetReference(b);
            ref ulong rr = ref MemoryMarshal.GetReference(result);
            for (; i + 8 <= result.Length; i += 8)
            {
                VectorModular.Mul(Vector512.LoadUnsafe(ref ra, (nuint)i), Vector512.LoadUnsafe(ref rb, (nuint)i), inverse, qv)
                    .StoreUnsafe(ref rr, (nuint)i);
            }
        }

        for (; i < result.Length; i++)
        {
            result[i] = modulus.Mul(a[i], b[i]);
        }
    }

    /// <summary>result += a * b mod q.</summary>
    public static void MulAdd(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result, Modulus modulus)
    {
        ulong q = modulus.Value;
        int i = 0;
        if (VectorModular.IsSupported(q))
        {
            var qv = Vector512.Create(q);
            var inverse = Vector512.Create(1.0 / q);
            ref ulong ra = ref MemoryMarshal.GetReference(a);
            ref ulong rb = ref MemoryMarshal.GetReference(b);
            ref ulong rr = ref MemoryMarshal.GetReference(result);
            for (; i + 8 <= result.Length; i += 8)
            {
                Vector512<ulong> product = VectorModular.Mul(Vector512.LoadUnsafe(ref ra, (nuint)i), Vector512.LoadUnsafe(ref rb, (nuint)i), inverse, qv);
                VectorModular.ReduceOnce(product + Vector512.LoadUnsafe(ref rr, (nuint)i), qv).StoreUnsafe(ref rr, (nuint)i);
            }
        }

        for (; i < result.Length; i++)
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
        int i = 0;
        if (VectorModular.IsSupported(q))
        {
            var qv = Vector512.Create(q);
            var cv = Vector512.Create(c);
            var cOverQ = Vector512.Create((double)c / q);
            ref ulong ra = ref MemoryMarshal.GetReference(a);
            ref ulong rr = ref MemoryMarshal.GetReference(result);
            for (; i + 8 <= result.Length; i += 8)
            {
                Vector512<ulong> r = VectorModular.MulConstantLazy(Vector512.LoadUnsafe(ref ra, (nuint)i), cv, cOverQ, qv);
                VectorModular.ReduceOnce(r, qv).StoreUnsafe(ref rr, (nuint)i);
            }
        }

        for (; i < result.Length; i++)
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
        int i = 0;
        if (VectorModular.IsSupported(q))
        {
            var qv = Vector512.Create(q);
            var cv = Vector512.Create(c);
            var cOverQ = Vector512.Create((double)c / q);
            ref ulong ra = ref MemoryMarshal.GetReference(a);
            ref ulong rb = ref MemoryMarshal.GetReference(b);
            ref ulong rr = ref MemoryMarshal.GetReference(result);
            for (; i + 8 <= result.Length; i += 8)
            {
                Vector512<ulong> d = Vector512.LoadUnsafe(ref ra, (nuint)i) + qv - Vector512.LoadUnsafe(ref rb, (nuint)i);
                Vector512<ulong> r = VectorModular.MulConstantLazy(d, cv, cOverQ, qv);
                VectorModular.ReduceOnce(r, qv).StoreUnsafe(ref rr, (nuint)i);
            }
        }

        for (; i < result.Length; i++)
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
