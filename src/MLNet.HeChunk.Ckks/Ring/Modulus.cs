using System.Runtime.CompilerServices;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// A word-size prime modulus q &lt; 2^62 with the constants its reductions need.
/// The 62-bit bound leaves two spare bits so lazy NTT butterflies can keep values in [0, 4q).
/// </summary>
internal sealed class Modulus
{
    /// <summary>Largest supported prime width: lazy butterflies need 4q &lt; 2^64.</summary>
    public const int MaxBits = 61;

    public Modulus(ulong value)
    {
        if (value < 3 || value >> MaxBits != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"modulus {value} must be in [3, 2^{MaxBits})");
        }

        Value = value;
        BitCount = 64 - System.Numerics.BitOperations.LeadingZeroCount(value);
        // floor(2^128 / q) as two words, for Barrett reduction of 128-bit products.
        UInt128 ratio = UInt128.MaxValue / value;
        RatioHigh = (ulong)(ratio >> 64);
        RatioLow = (ulong)ratio;
    }

    public ulong Value { get; }

    public int BitCount { get; }

    internal ulong RatioHigh { get; }

    internal ulong RatioLow { get; }

    public override string ToString() => $"{Value} ({BitCount} bits)";

    /// <summary>a + b mod q for a, b &lt; q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Add(ulong a, ulong b)
    {
        ulong s = a + b;
        return s >= Value ? s - Value : s;
    }

    /// <summary>a - b mod q for a, b &lt; q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Sub(ulong a, ulong b) => a >= b ? a - b : a + Value - b;

    /// <summary>-a mod q for a &lt; q.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Negate(ulong a) => a == 0 ? 0 : Value - a;

    /// <summary>a * b mod q for any a, b whose product is below q * 2^64 (in particular a, b &lt; q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mul(ulong a, ulong b)
    {
        ulong hi = Math.BigMul(a, b, out ulong lo);
        return Reduce128(hi, lo);
    }

    /// <summary>
    /// Barrett reduction of the 128-bit value hi:lo (hi &lt; q), using floor(2^128/q).
    /// The quotient estimate is at most one below the true quotient, so one conditional subtraction finishes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reduce128(ulong hi, ulong lo)
    {
        // quotient estimate = floor((hi:lo) * (RatioHigh:RatioLow) / 2^128), computed from the partial products
        // that can reach bit 128; the dropped low part only lowers the estimate by at most one.
        ulong carryLowLow = Math.BigMul(lo, RatioLow, out _);
        ulong midAHigh = Math.BigMul(lo, RatioHigh, out ulong midALow);
        ulong midBHigh = Math.BigMul(hi, RatioLow, out ulong midBLow);
        ulong sum1 = midALow + carryLowLow;
        ulong c1 = sum1 < midALow ? 1UL : 0UL;
        ulong sum2 = sum1 + midBLow;
        ulong c2 = sum2 < sum1 ? 1UL : 0UL;
        ulong quotient = hi * RatioHigh + midAHigh + midBHigh + c1 + c2;
        ulong r = lo - quotient * Value;
        return r >= Value ? r - Value : r;
    }

    /// <summary>x mod q for any 64-bit x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Reduce(ulong x) => Reduce128(0, x);

    /// <summary>x mod q for a signed 64-bit x, in [0, q).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReduceSigned(long x)
    {
        // unchecked negation maps long.MinValue to 2^63, which is its magnitude as an unsigned value.
        return x >= 0 ? Reduce((ulong)x) : Negate(Reduce(unchecked((ulong)(-x))));
    }

    /// <summary>The Shoup companion floor(w * 2^64 / q) of a constant w &lt; q.</summary>
    public ulong ShoupOf(ulong w) => (ulong)(((UInt128)w << 64) / Value);

    /// <summary>
    /// x * w mod q, lazily in [0, 2q), for any 64-bit x and a constant w &lt; q with Shoup companion <paramref name="wShoup"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulShoupLazy(ulong x, ulong w, ulong wShoup, ulong q)
    {
        ulong estimate = Math.BigMul(x, wShoup, out _);
        return x * w - estimate * q;
    }

    public ulong Pow(ulong baseValue, ulong exponent)
    {
        ulong result = 1;
        ulong b = baseValue % Value;
        while (exponent > 0)
        {
            if ((exponent & 1) != 0)
            {
                result = Mul(result, b);
            }

            b = Mul(b, b);
            exponent >>= 1;
        }

        return result;
    }

    /// <summary>Multiplicative inverse by Fermat's little theorem (q is prime).</summary>
    public ulong Inverse(ulong a)
    {
        a %= Value;
        if (a == 0)
        {
            throw new ArgumentException($"0 has no inverse modulo {Value}", nameof(a));
        }

        return Pow(a, Value - 2);
    }
}
