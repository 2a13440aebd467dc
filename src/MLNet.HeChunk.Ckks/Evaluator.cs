using System.Numerics;
using MLNet.HeChunk.Ckks.Ring;
using MLNet.HeChunk.Ckks.Rlwe;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// Homomorphic operations on ciphertexts, using only public evaluation keys (the server side). Every operation has
/// an allocating form returning a new ciphertext and a form writing into a given destination, which may be one of
/// the inputs (in place). Multiply, relinearize and rescale are separate, explicit steps. Operands of another
/// parameter set, or with mismatched levels or scales, are refused with an exception that says which.
/// </summary>
public sealed partial class Evaluator
{
    // Relative tolerance when comparing scales: scales reached by the same sequence of operations are bit-identical;
    // anything further apart means a caller mixed up operands.
    private const double ScaleTolerance = 1e-9;

    private readonly CkksParameters _parameters;
    private readonly RingContext _ring;
    private readonly int _degreeOfParallelism;
    private readonly RelinearizationKey? _relinearizationKey;
    private readonly GaloisKeys? _galoisKeys;
    private KeySwitcher? _keySwitcher;

    /// <summary>Creates an evaluator.</summary>
    /// <param name="parameters">The parameter set.</param>
    /// <param name="relinearizationKey">Needed for <see cref="Relinearize(Ciphertext, Ciphertext)"/>.</param>
    /// <param name="galoisKeys">Needed for rotations and conjugation.</param>
    /// <param name="degreeOfParallelism">Threads used across RNS residues (results do not depend on it).</param>
    public Evaluator(CkksParameters parameters, RelinearizationKey? relinearizationKey = null, GaloisKeys? galoisKeys = null, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        if (relinearizationKey is not null)
        {
            parameters.EnsureSame(relinearizationKey.Parameters, "the relinearization key");
        }

        if (galoisKeys is not null)
        {
            parameters.EnsureSame(galoisKeys.Parameters, "the Galois keys");
        }

        _parameters = parameters;
        _ring = parameters.Ring;
        _relinearizationKey = relinearizationKey;
        _galoisKeys = galoisKeys;
        _degreeOfParallelism = degreeOfParallelism;
    }

    /// <summary>The parameter set.</summary>
    public CkksParameters Parameters => _parameters;

    private KeySwitcher Switcher => _keySwitcher ??= new KeySwitcher(_parameters, _degreeOfParallelism);

    /// <summary>a + b.</summary>
    public Ciphertext Add(Ciphertext a, Ciphertext b) => NewFrom(a, (x, y) => Add(x, b, y));

    /// <summary>destination = a + b (destination may be a or b).</summary>
    public void Add(Ciphertext a, Ciphertext b, Ciphertext destination) => Combine(a, b, destination, subtract: false);

    /// <summary>a - b.</summary>
    public Ciphertext Sub(Ciphertext a, Ciphertext b) => NewFrom(a, (x, y) => Sub(x, b, y));

    /// <summary>destination = a - b (destination may be a or b).</summary>
    public void Sub(Ciphertext a, Ciphertext b, Ciphertext destination) => Combine(a, b, destination, subtract: true);

    /// <summary>-a.</summary>
    public Ciphertext Negate(Ciphertext a) => NewFrom(a, Negate);

    /// <summary>destination = -a.</summary>
    public void Negate(Ciphertext a, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        RnsPoly[] outputs = PrepareDestination(destination, a.Size, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            for (int c = 0; c < a.Size; c++)
            {
                PolyArithmetic.Negate(a.Components[c].Residue(j), outputs[c].Residue(j), m.Value);
            }
        });
        Finish(destination, outputs, a.Scale);
    }

    /// <summary>a + plaintext.</summary>
    public Ciphertext AddPlain(Ciphertext a, Plaintext plaintext) => NewFrom(a, (x, y) => AddPlain(x, plaintext, y));

    /// <summary>destination = a + plaintext.</summary>
    public void AddPlain(Ciphertext a, Plaintext plaintext, Ciphertext destination) => CombinePlain(a, plaintext, destination, subtract: false);

    /// <summary>a - plaintext.</summary>
    public Ciphertext SubPlain(Ciphertext a, Plaintext plaintext) => NewFrom(a, (x, y) => SubPlain(x, plaintext, y));

    /// <summary>destination = a - plaintext.</summary>
    public void SubPlain(Ciphertext a, Plaintext plaintext, Ciphertext destination) => CombinePlain(a, plaintext, destination, subtract: true);

    /// <summary>a + value in every slot.</summary>
    public Ciphertext AddConstant(Ciphertext a, Complex value) => NewFrom(a, (x, y) => AddConstant(x, value, y));

    /// <summary>
    /// destination = a + value in every slot. The constant is encoded at a's scale: a real part r adds round(r*scale) to
    /// the constant coefficient, an imaginary part i adds round(i*scale) to the coefficient of X^(N/2), which every
    /// slot's root maps to the imaginary unit.
    /// </summary>
    public void AddConstant(Ciphertext a, Complex value, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        CheckFinite(value);
        RnsPoly[] outputs = PrepareDestination(destination, a.Size, a.Level);
        int half = _parameters.N / 2;
        ForEachRow(a.Level, (j, m) =>
        {
            for (int c = 0; c < a.Size; c++)
            {
                a.Components[c].Residue(j).CopyTo(outputs[c].Residue(j));
            }

            // In the NTT domain a constant c0 + c1*X^(N/2) evaluates to c0 + c1*(±i) per slot point; compute it
            // through a small NTT-free formula: add the transform of the two-term polynomial.
            ulong re = ScaledIntegers.RoundToResidue(value.Real * a.Scale, m);
            ulong im = ScaledIntegers.RoundToResidue(value.Imaginary * a.Scale, m);
            Span<ulong> row = outputs[0].Residue(j);
            if (im == 0)
            {
                PolyArithmetic.AddScalar(row, re, m.Value);
                return;
            }

            ulong[] constant = new ulong[_parameters.N];
            constant[0] = re;
            constant[half] = im;
            Ntt.Forward(constant, _ring.Tables[j]);
            PolyArithmetic.Add(row, constant, row, m.Value);
        });
        Finish(destination, outputs, a.Scale);
    }

    /// <summary>a * plaintext (slot-wise); the scale becomes a.Scale * plaintext.Scale.</summary>
    public Ciphertext MultiplyPlain(Ciphertext a, Plaintext plaintext) => NewFrom(a, (x, y) => MultiplyPlain(x, plaintext, y));

    /// <summary>destination = a * plaintext (slot-wise).</summary>
    public void MultiplyPlain(Ciphertext a, Plaintext plaintext, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        CheckPlaintext(plaintext, a.Level);
        RnsPoly[] outputs = PrepareDestination(destination, a.Size, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            ReadOnlySpan<ulong> p = plaintext.Poly.Residue(j);
            for (int c = 0; c < a.Size; c++)
            {
                PolyArithmetic.Mul(a.Components[c].Residue(j), p, outputs[c].Residue(j), m);
            }
        });
        Finish(destination, outputs, a.Scale * plaintext.Scale);
    }

    /// <summary>a * value in every slot, the constant encoded at <paramref name="constantScale"/>.</summary>
    public Ciphertext MultiplyConstant(Ciphertext a, double value, double constantScale)
        => NewFrom(a, (x, y) => MultiplyConstant(x, value, constantScale, y));

    /// <summary>
    /// destination = a * value; the constant is encoded as round(value * constantScale), so the scale becomes
    /// a.Scale * constantScale. Pass the last prime of a's level as constantScale to get a's scale back after a rescale,
    /// or 1 for an integer constant that keeps the scale and needs no rescale.
    /// </summary>
    public void MultiplyConstant(Ciphertext a, double value, double constantScale, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        if (!double.IsFinite(value) || !(constantScale >= 1) || !double.IsFinite(constantScale))
        {
            throw new ArgumentException($"constant {value} at scale {constantScale}: the value must be finite and the scale at least 1");
        }

        RnsPoly[] outputs = PrepareDestination(destination, a.Size, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            ulong c = ScaledIntegers.RoundToResidue(value * constantScale, m);
            for (int k = 0; k < a.Size; k++)
            {
                PolyArithmetic.MulScalar(a.Components[k].Residue(j), c, outputs[k].Residue(j), m);
            }
        });
        Finish(destination, outputs, a.Scale * constantScale);
    }

    /// <summary>The value of the last prime at <paramref name="level"/> (the factor a rescale divides by).</summary>
    public double PrimeAtLevel(int level)
    {
        if (level < 0 || level > _parameters.MaxLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), $"level {level} is outside [0, {_parameters.MaxLevel}]");
        }

        return _parameters.Q[level];
    }

    private void Combine(Ciphertext a, Ciphertext b, Ciphertext destination, bool subtract)
    {
        CheckOperand(a, nameof(a));
        CheckOperand(b, nameof(b));
        CheckSameLevel(a, b);
        CheckSameScale(a.Scale, b.Scale, "the two ciphertexts");
        int size = Math.Max(a.Size, b.Size);
        RnsPoly[] outputs = PrepareDestination(destination, size, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            for (int c = 0; c < size; c++)
            {
                Span<ulong> o = outputs[c].Residue(j);
                if (c < a.Size && c < b.Size)
                {
                    if (subtract)
                    {
                        PolyArithmetic.Sub(a.Components[c].Residue(j), b.Components[c].Residue(j), o, m.Value);
                    }
                    else
                    {
                        PolyArithmetic.Add(a.Components[c].Residue(j), b.Components[c].Residue(j), o, m.Value);
                    }
                }
                else if (c < a.Size)
                {
                    a.Components[c].Residue(j).CopyTo(o);
                }
                else if (subtract)
                {
                    PolyArithmetic.Negate(b.Components[c].Residue(j), o, m.Value);
                }
                else
                {
                    b.Components[c].Residue(j).CopyTo(o);
                }
            }
        });
        Finish(destination, outputs, a.Scale);
    }

    private void CombinePlain(Ciphertext a, Plaintext plaintext, Ciphertext destination, bool subtract)
    {
        CheckOperand(a, nameof(a));
        CheckPlaintext(plaintext, a.Level);
        CheckSameScale(a.Scale, plaintext.Scale, "the ciphertext and the plaintext");
        RnsPoly[] outputs = PrepareDestination(destination, a.Size, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            ReadOnlySpan<ulong> p = plaintext.Poly.Residue(j);
            if (subtract)
            {
                PolyArithmetic.Sub(a.Components[0].Residue(j), p, outputs[0].Residue(j), m.Value);
            }
            else
            {
                PolyArithmetic.Add(a.Components[0].Residue(j), p, outputs[0].Residue(j), m.Value);
            }

            for (int c = 1; c < a.Size; c++)
            {
                a.Components[c].Residue(j).CopyTo(outputs[c].Residue(j));
            }
        });
        Finish(destination, outputs, a.Scale);
    }

    private void ForEachRow(int level, Action<int, Modulus> body)
        => Parallelism.For(level + 1, _degreeOfParallelism, j => body(j, _ring.Moduli[j]));

    private Ciphertext NewFrom(Ciphertext template, Action<Ciphertext, Ciphertext> operation)
    {
        CheckOperand(template, "the ciphertext");
        var result = new Ciphertext(_parameters, [], template.Scale);
        operation(template, result);
        return result;
    }

    /// <summary>
    /// Output polynomials for a destination: fresh ones when the destination is too small, otherwise its own.
    /// Writing row j of an output only after reading row j of the inputs keeps in-place operation correct.
    /// </summary>
    private RnsPoly[] PrepareDestination(Ciphertext destination, int size, int level)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _parameters.EnsureSame(destination.Parameters, "the destination ciphertext");
        var outputs = new RnsPoly[size];
        for (int c = 0; c < size; c++)
        {
            outputs[c] = c < destination.Components.Length
                ? destination.Components[c].WithRows(level + 1)
                : new RnsPoly(_parameters.N, level + 1);
        }

        return outputs;
    }

    private static void Finish(Ciphertext destination, RnsPoly[] outputs, double scale)
    {
        destination.Components = outputs;
        destination.Scale = scale;
        destination.Seed = null;
    }

    private void CheckOperand(Ciphertext ciphertext, string name)
    {
        ArgumentNullException.ThrowIfNull(ciphertext, name);
        _parameters.EnsureSame(ciphertext.Parameters, $"ciphertext '{name}'");
    }

    private void CheckPlaintext(Plaintext plaintext, int level)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        _parameters.EnsureSame(plaintext.Parameters, "the plaintext");
        if (plaintext.Level < level)
        {
            throw new ArgumentException($"the plaintext is at level {plaintext.Level}, below the ciphertext's level {level}; encode it at level {level}");
        }
    }

    private static void CheckSameLevel(Ciphertext a, Ciphertext b)
    {
        if (a.Level != b.Level)
        {
            throw new ArgumentException($"ciphertext levels differ ({a.Level} and {b.Level}); bring them to one level with DropLevel or Rescale first");
        }
    }

    private static void CheckSameScale(double x, double y, string what)
    {
        if (Math.Abs(x - y) > ScaleTolerance * Math.Max(x, y))
        {
            throw new ArgumentException($"scales of {what} differ (2^{Math.Log2(x):F6} and 2^{Math.Log2(y):F6}); rescale or encode so they match");
        }
    }

    private static void CheckFinite(Complex value)
    {
        if (!double.IsFinite(value.Real) || !double.IsFinite(value.Imaginary))
        {
            throw new ArgumentException($"constant {value} is not finite");
        }
    }
}
