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

    /// <summary>Reduces residues of another modulus <paramref name="sourceModulus"/> (possibly larger) into this one.</summary>
    public static void ReduceFrom(ReadOnlySpan<ulong> source, ulong sourceModulus, Span<ulong> result, Modulus modulus)
    {
        int i = 0;
        if (VectorModular.IsSupported(modulus.Value) && VectorModular.IsSupported(sourceModulus))
        {
            // Both below 2^50: x / q stays far below 2^50, as VectorModular.Reduce needs.
            var qv = Vector512.Create(modulus.Value);
            var inverse = Vector512.Create(1.0 / modulus.Value);
            ref ulong rs = ref MemoryMarshal.GetReference(source);
            ref ulong rr = ref MemoryMarshal.GetReference(result);
            for (; i + 8 <= result.Length; i += 8)
            {
                VectorModular.Reduce(Vector512.LoadUnsafe(ref rs, (nuint)i), inverse, qv).StoreUnsafe(ref rr, (nuint)i);
            }
        }

        for (; i < result.Length; i++)
        {
            result[i] = modulus.Reduce(source[i]);
        }
    }

    /// <summary>
    /// The two products of a key-switching inner product: acc0 (+)= d * b, acc1 (+)= d * a (overwriting when
    /// <paramref name="first"/>). On the vector path the sums are kept lazily (each product in [0, 2q), added without
    /// reduction) and must be finished by <see cref="ReduceLazySums"/>; the scalar path keeps them fully reduced.
    /// At most 2^12 products may be summed.
    /// </summary>
    public static void MulAddPairLazy(ReadOnlySpan<ulong> d, ReadOnlySpan<ulong> b, ReadOnlySpan<ulong> a, Span<ulong> acc0, Span<ulong> acc1, Modulus modulus, bool first)
    {
        ulong q = modulus.Value;
        int n = acc0.Length;
        int i = 0;
        if (VectorModular.IsSupported(q))
        {
            var qv = Vector512.Create(q);
            var inverse = Vector512.Create(1.0 / q);
            ref ulong rd = ref MemoryMarshal.GetReference(d);
            ref ulong rb = ref MemoryMarshal.GetReference(b);
            ref ulong ra = ref MemoryMarshal.GetReference(a);
            ref ulong r0 = ref MemoryMarshal.GetReference(acc0);
            ref ulong r1 = ref MemoryMarshal.GetReference(acc1);
            if (first)
            {
                for (; i + 8 <= n; i += 8)
                {
                    Vector512<ulong> dv = Vector512.LoadUnsafe(ref rd, (nuint)i);
                    VectorModular.MulLazy(dv, Vector512.LoadUnsafe(ref rb, (nuint)i), inverse, qv).StoreUnsafe(ref r0, (nuint)i);
                    VectorModular.MulLazy(dv, Vector512.LoadUnsafe(ref ra, (nuint)i), inverse, qv).StoreUnsafe(ref r1, (nuint)i);
                }
            }
            else
            {
                for (; i + 8 <= n; i += 8)
                {
                    Vector512<ulong> dv = Vector512.LoadUnsafe(ref rd, (nuint)i);
                    (Vector512.LoadUnsafe(ref r0, (nuint)i) + VectorModular.MulLazy(dv, Vector512.LoadUnsafe(ref rb, (nuint)i), inverse, qv))
                        .StoreUnsafe(ref r0, (nuint)i);
                    (Vector512.LoadUnsafe(ref r1, (nuint)i) + VectorModular.MulLazy(dv, Vector512.LoadUnsafe(ref ra, (nuint)i), inverse, qv))
                        .StoreUnsafe(ref r1, (nuint)i);
                }
            }

            // The tail below joins the lazy sums with fully reduced terms: still congruent and below 2^63.
        }

        for (; i < n; i++)
        {
            ulong p0 = modulus.Mul(d[i], b[i]);
            ulong p1 = modulus.Mul(d[i], a[i]);
            if (first)
            {
                acc0[i] = p0;
                acc1[i] = p1;
            }
            else if (VectorModular.IsSupported(q))
            {
                acc0[i] += p0;
                acc1[i] += p1;
            }
            else
            {
                acc0[i] = modulus.Add(acc0[i], p0);
                acc1[i] = modulus.Add(acc1[i], p1);
            }
        }
    }

    /// <summary>Fully reduces sums built by <see cref="MulAddPairLazy"/> (a no-op on the scalar path).</summary>
    public static void ReduceLazySums(Span<ulong> values, Modulus modulus)
    {
        ulong q = modulus.Value;
        if (!VectorModular.IsSupported(q))
        {
            return;
        }

        var qv = Vector512.Create(q);
        var inverse = Vector512.Create(1.0 / q);
        ref ulong r = ref MemoryMarshal.GetReference(values);
        int i = 0;
        for (; i + 8 <= values.Length; i += 8)
        {
            VectorModular.Reduce(Vector512.LoadUnsafe(ref r, (nuint)i), inverse, qv).StoreUnsafe(ref r, (nuint)i);
        }

        for (; i < values.Length; i++)
        {
            values[i] = modulus.Reduce(values[i]);
        }
    }

    /// <summary>Applies a permutation of evaluation points (an automorphism in the NTT domain).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Permute(ReadOnlySpan<ulong> source, ReadOnlySpan<int> permutation, Span<ulong> result)
    {
        if (permutation.Length < result.Length || source.Length < result.Length)
        {
            throw new ArgumentException("the permutation and the source must cover the result");
        }

        // The permutations come from RingContext.GaloisPermutation, whose entries are all below N = source.Length:
        // the loop reads without per-element bounds checks.
        ref ulong s = ref MemoryMarshal.GetReference(source);
        ref int p = ref MemoryMarshal.GetReference(permutation);
        ref ulong r = ref MemoryMarshal.GetReference(result);
        for (int i = 0; i < result.Length; i++)
        {
            int index = Unsafe.Add(ref p, i);
            System.Diagnostics.Debug.Assert((uint)index < (uint)source.Length);
            Unsafe.Add(ref r, i) = Unsafe.Add(ref s, index);
        }
    }
}
