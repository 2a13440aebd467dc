using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Eight-lane modular arithmetic for primes below 2^50 on AVX-512 (F + DQ). x86 has no 64x64->128-bit vector multiply
/// (and .NET 10 exposes no AVX-512 IFMA intrinsics: no Avx512Ifma class, checked by reflection), so the quotient of a product by q is estimated in double precision: for operands below
/// 2^52 and q below 2^50 the estimate is within one of the true quotient, and the remainder is then computed exactly
/// in wrapping 64-bit integer lanes (vpmullq) and corrected by one conditional add. Callers fall back to the scalar
/// Shoup/Barrett code when <see cref="IsSupported"/> is false.
/// </summary>
internal static class VectorModular
{
    /// <summary>Widest prime the double-precision quotient estimate handles exactly.</summary>
    public const int MaxPrimeBits = 50;

    public static bool IsHardwareAccelerated { get; } = Avx512F.IsSupported && Avx512DQ.IsSupported && Vector512.IsHardwareAccelerated;

    public static bool IsSupported(ulong q) => IsHardwareAccelerated && q >> MaxPrimeBits == 0;

    /// <summary>x * w mod q, lazily in [0, 2q), for x &lt; 2^52 and w &lt; q, given w/q as a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MulConstantLazy(Vector512<ulong> x, Vector512<ulong> w, Vector512<double> wOverQ, Vector512<ulong> q)
    {
        Vector512<ulong> quotient = FloorToUInt64(Vector512.ConvertToDouble(x.AsInt64()) * wOverQ);
        // The true remainder lies in [-q, 2q); wrapping arithmetic gets it exactly.
        Vector512<ulong> r = x * w - quotient * q;
        return r + (Vector512.ShiftRightArithmetic(r.AsInt64(), 63).AsUInt64() & q);
    }

    /// <summary>a * b mod q, fully reduced, for a, b &lt; q &lt; 2^50, given 1/q as a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Mul(Vector512<ulong> a, Vector512<ulong> b, Vector512<double> inverseQ, Vector512<ulong> q)
    {
        Vector512<double> product = Vector512.ConvertToDouble(a.AsInt64()) * Vector512.ConvertToDouble(b.AsInt64());
        Vector512<ulong> quotient = FloorToUInt64(product * inverseQ);
        Vector512<ulong> r = a * b - quotient * q;
        // r in [-q, 2q): add q when negative, then subtract q when at or above q.
        r += Vector512.ShiftRightArithmetic(r.AsInt64(), 63).AsUInt64() & q;
        return Vector512.Min(r, r - q);
    }

    /// <summary>
    /// a * b mod q, lazily in [0, 2q), for a, b &lt; q &lt; 2^50, given 1/q as a double: <see cref="Mul"/> without its
    /// final comparison, for sums that are reduced once at the end (key-switching inner products).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> MulLazy(Vector512<ulong> a, Vector512<ulong> b, Vector512<double> inverseQ, Vector512<ulong> q)
    {
        Vector512<double> product = Vector512.ConvertToDouble(a.AsInt64()) * Vector512.ConvertToDouble(b.AsInt64());
        Vector512<ulong> quotient = FloorToUInt64(product * inverseQ);
        Vector512<ulong> r = a * b - quotient * q;
        return r + (Vector512.ShiftRightArithmetic(r.AsInt64(), 63).AsUInt64() & q);
    }

    /// <summary>
    /// x mod q, fully reduced, for q &lt; 2^50 and x &lt; 2^62 with x / q &lt; 2^50, given 1/q as a double: the quotient
    /// estimate is then within one of the truth and the remainder, exact in wrapping lanes, lies in [-q, 2q).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> Reduce(Vector512<ulong> x, Vector512<double> inverseQ, Vector512<ulong> q)
    {
        Vector512<ulong> quotient = FloorToUInt64(Vector512.ConvertToDouble(x.AsInt64()) * inverseQ);
        Vector512<ulong> r = x - quotient * q;
        r += Vector512.ShiftRightArithmetic(r.AsInt64(), 63).AsUInt64() & q;
        return Vector512.Min(r, r - q);
    }

    /// <summary>
    /// floor(x) as a (two's complement) integer for |x| &lt; 2^63, in one instruction (vcvtpd2qq with round-down embedded rounding).
    /// Vector512.ConvertToInt64(Vector512.Floor(x)) gives the same values but costs a round, a saturation fix-up,
    /// a compare and a blend on .NET 10.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> FloorToUInt64(Vector512<double> x)
        => Avx512DQ.ConvertToVector512Int64(x, FloatRoundingMode.ToNegativeInfinity).AsUInt64();

    /// <summary>Reduces [0, 2q) to [0, q) (unsigned min picks x - q unless it wrapped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ulong> ReduceOnce(Vector512<ulong> x, Vector512<ulong> q) => Vector512.Min(x, x - q);
}
