using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>Maps real numbers, already multiplied by the scale, to residues: round to the nearest integer, then reduce.</summary>
internal static class ScaledIntegers
{
    private const double TwoTo62 = 4611686018427387904.0;

    /// <summary>round(value) mod q, exact for any finite double, however large.</summary>
    public static ulong RoundToResidue(double value, Modulus modulus)
    {
        double rounded = Math.Round(value, MidpointRounding.ToEven);
        if (Math.Abs(rounded) < TwoTo62)
        {
            return modulus.ReduceSigned((long)rounded);
        }

        if (!double.IsFinite(rounded))
        {
            throw new ArgumentException($"cannot encode a non-finite value ({value})");
        }

        // A large double is an integer mantissa * 2^exponent: reduce the mantissa, then multiply by 2^exponent mod q.
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(rounded));
        int exponent = (int)((bits >> 52) & 0x7FF) - 1075;
        ulong mantissa = (ulong)(bits & 0xFFFFFFFFFFFFFL) | (1UL << 52);
        ulong residue = modulus.Mul(modulus.Reduce(mantissa), modulus.Pow(2, (ulong)exponent));
        return rounded < 0 ? modulus.Negate(residue) : residue;
    }

    private const double TwoTo52 = 4503599627370496.0;

    /// <summary>
    /// values[i] = round((values[i] * factor) * scale), ties to even, in place (the two products in that order). Returns
    /// whether every result is below 2^52 in magnitude, so that <see cref="ReduceIntegers"/> may take them.
    /// </summary>
    public static bool ScaleAndRound(Span<double> values, double factor, double scale)
    {
        int i = 0;
        bool small = true;
        if (Vector512.IsHardwareAccelerated)
        {
            var f = Vector512.Create(factor);
            var s = Vector512.Create(scale);
            var limit = Vector512.Create(TwoTo52);
            Vector512<double> tooLarge = Vector512<double>.Zero;
            ref double r = ref MemoryMarshal.GetReference(values);
            for (; i + 8 <= values.Length; i += 8)
            {
                Vector512<double> v = Vector512.Round(Vector512.LoadUnsafe(ref r, (nuint)i) * f * s);
                v.StoreUnsafe(ref r, (nuint)i);
                // NaN compares false here, so check for it through the negated test.
                tooLarge |= ~Vector512.LessThan(Vector512.Abs(v), limit);
            }

            small = tooLarge == Vector512<double>.Zero;
        }

        for (; i < values.Length; i++)
        {
            double v = Math.Round(values[i] * factor * scale, MidpointRounding.ToEven);
            values[i] = v;
            small &= Math.Abs(v) < TwoTo52;
        }

        return small;
    }

    /// <summary>
    /// destination[i] = values[i] mod q for integer-valued doubles of magnitude below 2^52 (from
    /// <see cref="ScaleAndRound"/>): the same residues as <see cref="RoundToResidue"/>, eight at a time.
    /// </summary>
    public static void ReduceIntegers(ReadOnlySpan<double> values, Span<ulong> destination, Modulus modulus)
    {
        int i = 0;
        ulong q = modulus.Value;
        if (VectorModular.IsSupported(q))
        {
            var qv = Vector512.Create(q);
            var inverse = Vector512.Create(1.0 / q);
            ref double rv = ref MemoryMarshal.GetReference(values);
            ref ulong rd = ref MemoryMarshal.GetReference(destination);
            for (; i + 8 <= destination.Length; i += 8)
            {
                Vector512<double> x = Vector512.LoadUnsafe(ref rv, (nuint)i);
                // Signed floor of x/q within one of the truth (|x| < 2^52); the remainder, exact in wrapping lanes,
                // lies in [-q, 2q).
                Vector512<ulong> quotient = VectorModular.FloorToUInt64(x * inverse);
                Vector512<ulong> r = System.Runtime.Intrinsics.X86.Avx512DQ.ConvertToVector512Int64WithTruncation(x).AsUInt64() - quotient * qv;
                r += Vector512.ShiftRightArithmetic(r.AsInt64(), 63).AsUInt64() & qv;
                VectorModular.ReduceOnce(r, qv).StoreUnsafe(ref rd, (nuint)i);
            }
        }

        for (; i < destination.Length; i++)
        {
            destination[i] = modulus.ReduceSigned((long)values[i]);
        }
    }
}
