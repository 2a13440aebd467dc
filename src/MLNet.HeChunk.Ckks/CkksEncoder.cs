using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// Encodes vectors of up to N/2 complex (or real) numbers into plaintext polynomials through the canonical embedding,
/// and decodes them back. Slot j is the evaluation of the message polynomial at zeta^(5^j), zeta = exp(i*pi/N), so a
/// Galois automorphism X -> X^(5^k) rotates the slots by k. The O(n log n) "special FFT" of Cheon, Kim, Kim and Song
/// evaluates at exactly those points.
/// </summary>
public sealed class CkksEncoder
{
    private readonly CkksParameters _parameters;
    private readonly int _degreeOfParallelism;
    private readonly int _slots;
    private readonly int _m;
    private readonly Complex[] _roots;
    private readonly int[] _rotationGroup;

    // Twiddles of InverseSpecialFft, stage by stage: the butterfly j of the stage with half-length h uses index h + j.
    private readonly double[] _inverseTwiddleReal;
    private readonly double[] _inverseTwiddleImaginary;

    /// <summary>Creates an encoder for <paramref name="parameters"/>.</summary>
    public CkksEncoder(CkksParameters parameters, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        _parameters = parameters;
        _degreeOfParallelism = degreeOfParallelism;
        _slots = parameters.N / 2;
        _m = 2 * parameters.N;
        _roots = new Complex[_m + 1];
        for (int k = 0; k <= _m; k++)
        {
            double angle = 2 * Math.PI * k / _m;
            _roots[k] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }

        _rotationGroup = new int[_slots];
        int g = 1;
        for (int j = 0; j < _slots; j++)
        {
            _rotationGroup[j] = g;
            g = (int)(g * 5L % _m);
        }

        _inverseTwiddleReal = new double[_slots];
        _inverseTwiddleImaginary = new double[_slots];
        for (int half = 1; half < _slots; half <<= 1)
        {
            int quarterModulus = half << 3;
            int gap = _m / quarterModulus;
            for (int j = 0; j < half; j++)
            {
                Complex twiddle = _roots[(quarterModulus - (_rotationGroup[j] % quarterModulus)) * gap];
                _inverseTwiddleReal[half + j] = twiddle.Real;
                _inverseTwiddleImaginary[half + j] = twiddle.Imaginary;
            }
        }
    }

    /// <summary>Number of slots, N/2.</summary>
    public int SlotCount => _slots;

    /// <summary>Encodes complex values (missing slots are zero) at <paramref name="level"/> and <paramref name="scale"/>.</summary>
    public Plaintext Encode(ReadOnlySpan<Complex> values, int level, double scale)
    {
        var plaintext = new Plaintext(_parameters, new RnsPoly(_parameters.N, level + 1), scale);
        Encode(values, level, scale, plaintext);
        return plaintext;
    }

    /// <summary>Encodes real values (missing slots are zero) at <paramref name="level"/> and <paramref name="scale"/>.</summary>
    public Plaintext Encode(ReadOnlySpan<double> values, int level, double scale)
    {
        var plaintext = new Plaintext(_parameters, new RnsPoly(_parameters.N, level + 1), scale);
        Encode(values, level, scale, plaintext);
        return plaintext;
    }

    /// <summary>Encodes real values at the top level and the default scale.</summary>
    public Plaintext Encode(ReadOnlySpan<double> values) => Encode(values, _parameters.MaxLevel, _parameters.DefaultScale);

    /// <summary>Encodes real values into an existing plaintext (reusing its storage when large enough).</summary>
    public void Encode(ReadOnlySpan<double> values, int level, double scale, Plaintext destination)
    {
        var complexValues = new Complex[Math.Min(values.Length, _slots)];
        CheckLength(values.Length);
        for (int i = 0; i < complexValues.Length; i++)
        {
            complexValues[i] = values[i];
        }

        Encode(complexValues, level, scale, destination);
    }

    /// <summary>Encodes complex values into an existing plaintext (reusing its storage when large enough).</summary>
    public void Encode(ReadOnlySpan<Complex> values, int level, double scale, Plaintext destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckLength(values.Length);
        CheckLevelAndScale(level, scale);
        _parameters.EnsureSame(destination.Parameters, "the destination plaintext");

        int n = _slots;
        int degree = _parameters.N;
        // Real parts in the first half, imaginary parts in the second: after the inverse FFT these are exactly the
        // message polynomial's coefficients 0..n-1 and n..2n-1.
        double[] buffer = System.Buffers.ArrayPool<double>.Shared.Rent(degree);
        Span<double> coefficients = buffer.AsSpan(0, degree);
        coefficients.Clear();
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i].Real) || !double.IsFinite(values[i].Imaginary))
            {
                System.Buffers.ArrayPool<double>.Shared.Return(buffer);
                throw new ArgumentException($"value {i} is not finite ({values[i]})", nameof(values));
            }

            coefficients[i] = values[i].Real;
            coefficients[i + n] = values[i].Imaginary;
        }

        InverseSpecialFft(coefficients[..n], coefficients[n..]);
        // Same operations, in the same order, as (w[k] * (1/n)) then round(w[k].Real * scale): bit-identical to the
        // Complex-array transform.
        bool small = ScaledIntegers.ScaleAndRound(coefficients, 1.0 / n, scale);
        RingContext ring = _parameters.Ring;
        RnsPoly poly = destination.Poly.WithRows(level + 1);
        Parallelism.For(level + 1, _degreeOfParallelism, j =>
        {
            Modulus modulus = ring.Moduli[j];
            Span<ulong> row = poly.Residue(j);
            ReadOnlySpan<double> rounded = buffer.AsSpan(0, degree);
            if (small)
            {
                ScaledIntegers.ReduceIntegers(rounded, row, modulus);
            }
            else
            {
                for (int k = 0; k < row.Length; k++)
                {
                    row[k] = ScaledIntegers.RoundToResidue(rounded[k], modulus);
                }
            }

            Ntt.Forward(row, ring.Tables[j]);
        });
        System.Buffers.ArrayPool<double>.Shared.Return(buffer);
        destination.Poly = poly;
        destination.Scale = scale;
    }

    /// <summary>Decodes all N/2 slots.</summary>
    public Complex[] Decode(Plaintext plaintext)
    {
        var result = new Complex[_slots];
        Decode(plaintext, result);
        return result;
    }

    /// <summary>Decodes the real parts of all N/2 slots.</summary>
    public double[] DecodeReal(Plaintext plaintext)
    {
        Complex[] values = Decode(plaintext);
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i].Real;
        }

        return result;
    }

    /// <summary>Decodes into <paramref name="destination"/> (at most N/2 values are written).</summary>
    public void Decode(Plaintext plaintext, Span<Complex> destination)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        _parameters.EnsureSame(plaintext.Parameters, "the plaintext");
        RingContext ring = _parameters.Ring;
        RnsPoly coefficients = plaintext.Poly.Clone();
        ring.InverseNtt(coefficients, _degreeOfParallelism);
        var real = new double[_parameters.N];
        ring.Conversions.ReconstructCentered(coefficients, real);
        var w = new Complex[_slots];
        double inverseScale = 1.0 / plaintext.Scale;
        for (int k = 0; k < _slots; k++)
        {
            w[k] = new Complex(real[k] * inverseScale, real[k + _slots] * inverseScale);
        }

        SpecialFft(w);
        int count = Math.Min(destination.Length, _slots);
        w.AsSpan(0, count).CopyTo(destination);
    }

    /// <summary>Evaluates w (degree below n) at zeta^(5^j) for every slot j, in place.</summary>
    internal void SpecialFft(Complex[] values)
    {
        int n = values.Length;
        BitReverse(values);
        for (int length = 2; length <= n; length <<= 1)
        {
            int half = length >> 1;
            int quarterModulus = length << 2;
            int gap = _m / quarterModulus;
            for (int start = 0; start < n; start += length)
            {
                for (int j = 0; j < half; j++)
                {
                    Complex twiddle = _roots[(_rotationGroup[j] % quarterModulus) * gap];
                    Complex u = values[start + j];
                    Complex v = values[start + j + half] * twiddle;
                    values[start + j] = u + v;
                    values[start + j + half] = u - v;
                }
            }
        }
    }

    /// <summary>The inverse of <see cref="SpecialFft"/>.</summary>
    internal void InverseSpecialFft(Complex[] values)
    {
        int n = values.Length;
        for (int length = n; length >= 2; length >>= 1)
        {
            int half = length >> 1;
            int quarterModulus = length << 2;
            int gap = _m / quarterModulus;
            for (int start = 0; start < n; start += length)
            {
                for (int j = 0; j < half; j++)
                {
                    Complex twiddle = _roots[(quarterModulus - (_rotationGroup[j] % quarterModulus)) * gap];
                    Complex u = values[start + j] + values[start + j + half];
                    Complex v = (values[start + j] - values[start + j + half]) * twiddle;
                    values[start + j] = u;
                    values[start + j + half] = v;
                }
            }
        }

        BitReverse(values);
        double inverse = 1.0 / n;
        for (int i = 0; i < n; i++)
        {
            values[i] *= inverse;
        }
    }

    /// <summary>
    /// <see cref="InverseSpecialFft(Complex[])"/> on separate real and imaginary parts, without the final division by n
    /// (the caller folds it in): the same operations in the same order, so bit-identical, eight butterflies at a time.
    /// </summary>
    internal void InverseSpecialFft(Span<double> real, Span<double> imaginary)
    {
        int n = real.Length;
        ref double re = ref MemoryMarshal.GetReference(real);
        ref double im = ref MemoryMarshal.GetReference(imaginary);
        ref double twr = ref MemoryMarshal.GetArrayDataReference(_inverseTwiddleReal);
        ref double twi = ref MemoryMarshal.GetArrayDataReference(_inverseTwiddleImaginary);
        bool vector = Vector512.IsHardwareAccelerated;
        for (int length = n; length >= 2; length >>= 1)
        {
            int half = length >> 1;
            for (int start = 0; start < n; start += length)
            {
                int j = 0;
                if (vector)
                {
                    for (; j + 8 <= half; j += 8)
                    {
                        nuint x = (nuint)(start + j);
                        nuint y = (nuint)(start + j + half);
                        Vector512<double> xr = Vector512.LoadUnsafe(ref re, x);
                        Vector512<double> xi = Vector512.LoadUnsafe(ref im, x);
                        Vector512<double> yr = Vector512.LoadUnsafe(ref re, y);
                        Vector512<double> yi = Vector512.LoadUnsafe(ref im, y);
                        Vector512<double> tr = Vector512.LoadUnsafe(ref twr, (nuint)(half + j));
                        Vector512<double> ti = Vector512.LoadUnsafe(ref twi, (nuint)(half + j));
                        Vector512<double> dr = xr - yr;
                        Vector512<double> di = xi - yi;
                        (xr + yr).StoreUnsafe(ref re, x);
                        (xi + yi).StoreUnsafe(ref im, x);
                        ((dr * tr) - (di * ti)).StoreUnsafe(ref re, y);
                        ((di * tr) + (dr * ti)).StoreUnsafe(ref im, y);
                    }
                }

                for (; j < half; j++)
                {
                    int x = start + j;
                    int y = x + half;
                    double tr = _inverseTwiddleReal[half + j];
                    double ti = _inverseTwiddleImaginary[half + j];
                    double dr = real[x] - real[y];
                    double di = imaginary[x] - imaginary[y];
                    real[x] += real[y];
                    imaginary[x] += imaginary[y];
                    real[y] = (dr * tr) - (di * ti);
                    imaginary[y] = (di * tr) + (dr * ti);
                }
            }
        }

        BitReverse(real);
        BitReverse(imaginary);
    }

    private static void BitReverse<T>(Span<T> values)
    {
        int n = values.Length;
        int bits = BitOperations.Log2((uint)n);
        for (int i = 0; i < n; i++)
        {
            int j = NttTables.BitReverse(i, bits);
            if (j > i)
            {
                (values[i], values[j]) = (values[j], values[i]);
            }
        }
    }

    private void CheckLength(int length)
    {
        if (length > _slots)
        {
            throw new ArgumentException($"{length} values do not fit in {_slots} slots");
        }
    }

    private void CheckLevelAndScale(int level, double scale)
    {
        if (level < 0 || level > _parameters.MaxLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), $"level {level} is outside [0, {_parameters.MaxLevel}]");
        }

        if (!(scale >= 1) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), $"scale {scale} must be finite and at least 1");
        }
    }
}
