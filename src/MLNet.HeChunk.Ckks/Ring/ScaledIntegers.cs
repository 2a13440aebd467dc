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
}
