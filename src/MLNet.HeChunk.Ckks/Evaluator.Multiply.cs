using MLNet.HeChunk.Ckks.Ring;
using MLNet.HeChunk.Ckks.Rlwe;

namespace MLNet.HeChunk.Ckks;

public sealed partial class Evaluator
{
    /// <summary>a * b: a three-component ciphertext at scale a.Scale * b.Scale; relinearize and rescale next.</summary>
    public Ciphertext Multiply(Ciphertext a, Ciphertext b) => NewFrom(a, (x, y) => Multiply(x, b, y));

    /// <summary>destination = a * b (tensor product: (a0 b0, a0 b1 + a1 b0, a1 b1)).</summary>
    public void Multiply(Ciphertext a, Ciphertext b, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        CheckOperand(b, nameof(b));
        CheckSameLevel(a, b);
        if (a.Size != 2 || b.Size != 2)
        {
            throw new ArgumentException($"multiply needs two-component ciphertexts (got {a.Size} and {b.Size}); relinearize first");
        }

        RnsPoly[] outputs = PrepareDestination(destination, 3, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            ReadOnlySpan<ulong> a0 = a.Components[0].Residue(j);
            ReadOnlySpan<ulong> a1 = a.Components[1].Residue(j);
            ReadOnlySpan<ulong> b0 = b.Components[0].Residue(j);
            ReadOnlySpan<ulong> b1 = b.Components[1].Residue(j);
            // The cross term goes through a scratch row first: the destination may alias a or b.
            ulong[] scratch = System.Buffers.ArrayPool<ulong>.Shared.Rent(a0.Length);
            Span<ulong> cross = scratch.AsSpan(0, a0.Length);
            PolyArithmetic.Mul(a0, b1, cross, m);
            PolyArithmetic.MulAdd(a1, b0, cross, m);
            PolyArithmetic.Mul(a1, b1, outputs[2].Residue(j), m);
            PolyArithmetic.Mul(a0, b0, outputs[0].Residue(j), m);
            cross.CopyTo(outputs[1].Residue(j));
            System.Buffers.ArrayPool<ulong>.Shared.Return(scratch);
        });
        Finish(destination, outputs, a.Scale * b.Scale);
    }

    /// <summary>a * a, cheaper than <see cref="Multiply(Ciphertext, Ciphertext)"/> by one product per coefficient.</summary>
    public Ciphertext Square(Ciphertext a) => NewFrom(a, Square);

    /// <summary>destination = a * a.</summary>
    public void Square(Ciphertext a, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        if (a.Size != 2)
        {
            throw new ArgumentException($"square needs a two-component ciphertext (got {a.Size}); relinearize first");
        }

        RnsPoly[] outputs = PrepareDestination(destination, 3, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            ReadOnlySpan<ulong> a0 = a.Components[0].Residue(j);
            ReadOnlySpan<ulong> a1 = a.Components[1].Residue(j);
            ulong[] scratch = System.Buffers.ArrayPool<ulong>.Shared.Rent(a0.Length);
            Span<ulong> cross = scratch.AsSpan(0, a0.Length);
            PolyArithmetic.Mul(a0, a1, cross, m);
            PolyArithmetic.Add(cross, cross, cross, m.Value);
            PolyArithmetic.Mul(a1, a1, outputs[2].Residue(j), m);
            PolyArithmetic.Mul(a0, a0, outputs[0].Residue(j), m);
            cross.CopyTo(outputs[1].Residue(j));
            System.Buffers.ArrayPool<ulong>.Shared.Return(scratch);
        });
        Finish(destination, outputs, a.Scale * a.Scale);
    }

    /// <summary>Relinearizes a three-component product back to two components.</summary>
    public Ciphertext Relinearize(Ciphertext a) => NewFrom(a, Relinearize);

    /// <summary>destination = relinearized a: (c0, c1) + KeySwitch(c2 from s^2 to s).</summary>
    public void Relinearize(Ciphertext a, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        if (_relinearizationKey is null)
        {
            throw new InvalidOperationException("this evaluator has no relinearization key; pass one to the constructor");
        }

        if (a.Size == 2)
        {
            CopyInto(a, destination);
            return;
        }

        if (a.Size != 3)
        {
            throw new ArgumentException($"cannot relinearize a {a.Size}-component ciphertext");
        }

        int rows = a.Level + 1;
        RnsPoly u0 = RnsPoly.Rent(_parameters.N, rows);
        RnsPoly u1 = RnsPoly.Rent(_parameters.N, rows);
        Switcher.Switch(a.Components[2], _relinearizationKey.Key, u0, u1);
        RnsPoly[] outputs = PrepareDestination(destination, 2, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            PolyArithmetic.Add(a.Components[0].Residue(j), u0.Residue(j), outputs[0].Residue(j), m.Value);
            PolyArithmetic.Add(a.Components[1].Residue(j), u1.Residue(j), outputs[1].Residue(j), m.Value);
        });
        u0.ReturnToPool();
        u1.ReturnToPool();
        Finish(destination, outputs, a.Scale);
    }

    /// <summary>Divides by the last prime of the level (with rounding): level - 1, scale / q_level.</summary>
    public Ciphertext Rescale(Ciphertext a) => NewFrom(a, Rescale);

    /// <summary>destination = a / q_level, rounded; one level lower.</summary>
    public void Rescale(Ciphertext a, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        if (a.Level == 0)
        {
            throw new InvalidOperationException("cannot rescale a level-0 ciphertext: no prime is left to divide by");
        }

        double lastPrime = _parameters.Q[a.Level];
        _parameters.EnsureSame(destination.Parameters, "the destination ciphertext");
        bool inPlace = ReferenceEquals(a, destination);
        var outputs = new RnsPoly[a.Size];
        for (int c = 0; c < a.Size; c++)
        {
            // Write straight into the destination's storage when it is large enough: no clone of the input.
            RnsPoly source = a.Components[c];
            RnsPoly target = inPlace
                ? source
                : c < destination.Components.Length && destination.Components[c].Coefficients.Length >= a.Level * _parameters.N
                    && !a.Components.Any(x => ReferenceEquals(x.Coefficients, destination.Components[c].Coefficients))
                    ? destination.Components[c]
                    : new RnsPoly(_parameters.N, a.Level);
            _ring.Conversions.DivideByLastPrime(source, target, _ring.Tables, _degreeOfParallelism);
            outputs[c] = target;
        }

        Finish(destination, outputs, a.Scale / lastPrime);
    }

    /// <summary>Drops <paramref name="levels"/> primes without dividing (the message and scale are unchanged).</summary>
    public Ciphertext DropLevel(Ciphertext a, int levels) => NewFrom(a, (x, y) => DropLevel(x, levels, y));

    /// <summary>destination = a reduced to level a.Level - levels.</summary>
    public void DropLevel(Ciphertext a, int levels, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        if (levels < 0 || levels > a.Level)
        {
            throw new ArgumentOutOfRangeException(nameof(levels), $"cannot drop {levels} levels from a level-{a.Level} ciphertext");
        }

        int rows = a.Level - levels + 1;
        var outputs = new RnsPoly[a.Size];
        for (int c = 0; c < a.Size; c++)
        {
            outputs[c] = ReferenceEquals(a, destination) ? a.Components[c] : a.Components[c].CloneTruncated(rows);
            outputs[c].Truncate(rows);
        }

        _parameters.EnsureSame(destination.Parameters, "the destination ciphertext");
        Finish(destination, outputs, a.Scale);
    }

    /// <summary>Drops levels until <paramref name="a"/> is at <paramref name="level"/>.</summary>
    public Ciphertext DropToLevel(Ciphertext a, int level) => DropLevel(a, a.Level - level);

    private void CopyInto(Ciphertext source, Ciphertext destination)
    {
        if (ReferenceEquals(source, destination))
        {
            return;
        }

        _parameters.EnsureSame(destination.Parameters, "the destination ciphertext");
        destination.Components = source.Components.Select(c => c.Clone()).ToArray();
        destination.Scale = source.Scale;
        destination.Seed = source.Seed;
    }
}
