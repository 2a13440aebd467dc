using System.Numerics;

namespace MLNet.HeChunk.Ckks.Tests;

/// <summary>
/// Lattigo-style precision statistics: for each slot, -log2 of the absolute error against a plain reference, then the
/// minimum, mean and median over the slots. Higher is better; 20 bits means an error of about one millionth.
/// </summary>
internal sealed record Precision(double MinBits, double MeanBits, double MedianBits)
{
    public static Precision Measure(ReadOnlySpan<Complex> expected, ReadOnlySpan<Complex> actual)
    {
        var bits = new double[expected.Length];
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Complex.Abs(expected[i] - actual[i]);
            bits[i] = -Math.Log2(Math.Max(error, 1e-300));
        }

        Array.Sort(bits);
        double median = bits.Length % 2 == 1 ? bits[bits.Length / 2] : (bits[bits.Length / 2 - 1] + bits[bits.Length / 2]) / 2;
        return new Precision(bits[0], bits.Average(), median);
    }

    public static Precision Measure(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        var e = new Complex[expected.Length];
        var a = new Complex[expected.Length];
        for (int i = 0; i < e.Length; i++)
        {
            e[i] = expected[i];
            a[i] = actual[i];
        }

        return Measure(e, a);
    }

    public override string ToString() => $"precision bits: min {MinBits:F2}, mean {MeanBits:F2}, median {MedianBits:F2}";
}
