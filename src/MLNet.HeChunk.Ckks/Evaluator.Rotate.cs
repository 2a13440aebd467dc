using MLNet.HeChunk.Ckks.Ring;
using MLNet.HeChunk.Ckks.Rlwe;

namespace MLNet.HeChunk.Ckks;

public sealed partial class Evaluator
{
    /// <summary>Rotates the slots left by <paramref name="step"/> (negative: right).</summary>
    public Ciphertext Rotate(Ciphertext a, int step) => NewFrom(a, (x, y) => Rotate(x, step, y));

    /// <summary>destination = a with slots rotated left by <paramref name="step"/>.</summary>
    public void Rotate(Ciphertext a, int step, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        ulong g = _ring.GaloisElementForRotation(step);
        if (g == 1)
        {
            CopyInto(a, destination);
            return;
        }

        ApplyGaloisSingle(a, g, destination, $"rotation by {step}");
    }

    /// <summary>Complex conjugation of every slot.</summary>
    public Ciphertext Conjugate(Ciphertext a) => NewFrom(a, Conjugate);

    /// <summary>destination = conj(a).</summary>
    public void Conjugate(Ciphertext a, Ciphertext destination)
    {
        CheckOperand(a, nameof(a));
        ApplyGaloisSingle(a, _ring.GaloisElementForConjugation, destination, "conjugation");
    }

    /// <summary>
    /// Rotations of one ciphertext by several steps, sharing one key-switching decomposition (hoisting): the
    /// decomposition costs (L+1)(L+1+k) NTTs, each further rotation only an inner product and a division by P.
    /// </summary>
    public IReadOnlyDictionary<int, Ciphertext> RotateHoisted(Ciphertext a, IEnumerable<int> steps)
    {
        CheckOperand(a, nameof(a));
        ArgumentNullException.ThrowIfNull(steps);
        RequireTwoComponents(a);
        var result = new Dictionary<int, Ciphertext>();
        RnsPoly[]? digits = null;
        foreach (int step in steps.Distinct())
        {
            var output = new Ciphertext(_parameters, [], a.Scale);
            ulong g = _ring.GaloisElementForRotation(step);
            if (g == 1)
            {
                CopyInto(a, output);
            }
            else
            {
                digits ??= Switcher.Decompose(a.Components[1]);
                ApplyGalois(a, digits, g, output, $"rotation by {step}");
            }

            result[step] = output;
        }

        if (digits is not null)
        {
            KeySwitcher.Release(digits);
        }

        return result;
    }

    /// <summary>
    /// Sum of <paramref name="count"/> rotations by multiples of <paramref name="stride"/>: slot i of the result is
    /// a[i] + a[i + stride] + ... + a[i + (count-1)*stride]. Uses about 2*log2(count) rotations by powers of two
    /// times the stride, so the Galois keys must cover those steps.
    /// </summary>
    public Ciphertext RotateAndSum(Ciphertext a, int count, int stride = 1)
    {
        CheckOperand(a, nameof(a));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // Binary method: 'power' holds the sum of 2^k consecutive terms; bits of count pick which blocks join the result.
        Ciphertext? result = null;
        Ciphertext power = a;
        int covered = 0;
        int blockSize = 1;
        for (int remaining = count; remaining > 0; remaining >>= 1)
        {
            if ((remaining & 1) != 0)
            {
                Ciphertext shifted = covered == 0 ? power : Rotate(power, covered * stride);
                result = result is null ? shifted.Clone() : Add(result, shifted);
                covered += blockSize;
            }

            if (remaining > 1)
            {
                power = Add(power, Rotate(power, blockSize * stride));
                blockSize <<= 1;
            }
        }

        return result!;
    }

    /// <summary>The rotation steps <see cref="RotateAndSum"/> needs for the given count and stride.</summary>
    public static IReadOnlyList<int> RotateAndSumSteps(int count, int stride = 1)
    {
        var steps = new SortedSet<int>();
        int covered = 0;
        int blockSize = 1;
        for (int remaining = count; remaining > 0; remaining >>= 1)
        {
            if ((remaining & 1) != 0)
            {
                if (covered != 0)
                {
                    steps.Add(covered * stride);
                }

                covered += blockSize;
            }

            if (remaining > 1)
            {
                steps.Add(blockSize * stride);
                blockSize <<= 1;
            }
        }

        return steps.ToList();
    }

    /// <summary>
    /// One automorphism without hoisting: permute c1 before decomposing it, so the key-switching inner products need
    /// no permuted reads (the hoisted path permutes every lifted digit instead).
    /// </summary>
    private void ApplyGaloisSingle(Ciphertext a, ulong galoisElement, Ciphertext destination, string what)
    {
        RequireTwoComponents(a);
        KeySwitchingKey key = GaloisKeyFor(galoisElement, what);
        int[] permutation = _ring.GaloisPermutation(galoisElement);
        RnsPoly rotatedC1 = RnsPoly.Rent(_parameters.N, a.Level + 1);
        ForEachRow(a.Level, (j, _) => PolyArithmetic.Permute(a.Components[1].Residue(j), permutation, rotatedC1.Residue(j)));
        int rows = a.Level + 1;
        RnsPoly u0 = RnsPoly.Rent(_parameters.N, rows);
        RnsPoly u1 = RnsPoly.Rent(_parameters.N, rows);
        Switcher.Switch(rotatedC1, key, u0, u1);
        rotatedC1.ReturnToPool();
        AddPermutedC0(a, u0, u1, permutation, destination);
    }

    private KeySwitchingKey GaloisKeyFor(ulong galoisElement, string what)
    {
        if (_galoisKeys is null)
        {
            throw new InvalidOperationException($"this evaluator has no Galois keys; {what} needs one");
        }

        if (!_galoisKeys.TryGet(galoisElement, out KeySwitchingKey key))
        {
            throw new InvalidOperationException($"the Galois keys lack the key for {what} (Galois element {galoisElement}); generate keys for that step");
        }

        return key;
    }

    private void ApplyGalois(Ciphertext a, RnsPoly[] digits, ulong galoisElement, Ciphertext destination, string what)
        => FinishGalois(a, digits, GaloisKeyFor(galoisElement, what), _ring.GaloisPermutation(galoisElement), digitsPermuted: false, destination);

    /// <summary>(σ(c0) + u0, u1) where (u0, u1) switches σ(c1) from σ(s) back to s.</summary>
    private void FinishGalois(Ciphertext a, RnsPoly[] digits, KeySwitchingKey key, int[] permutation, bool digitsPermuted, Ciphertext destination)
    {
        int rows = a.Level + 1;
        RnsPoly u0 = RnsPoly.Rent(_parameters.N, rows);
        RnsPoly u1 = RnsPoly.Rent(_parameters.N, rows);
        Switcher.Apply(digits, key, digitsPermuted ? null : permutation, u0, u1);
        AddPermutedC0(a, u0, u1, permutation, destination);
    }

    /// <summary>destination = (σ(c0) + u0, u1); gives u0 and u1 back to the pool.</summary>
    private void AddPermutedC0(Ciphertext a, RnsPoly u0, RnsPoly u1, int[] permutation, Ciphertext destination)
    {
        RnsPoly source0 = a.Components[0];
        RnsPoly[] outputs = PrepareDestination(destination, 2, a.Level);
        ForEachRow(a.Level, (j, m) =>
        {
            // σ(c0) + u0 and u1. The permutation reads the whole row of c0 (which the destination may be), so it goes
            // into a scratch row first; row j of the outputs depends on row j of the inputs only.
            ulong[] buffer = System.Buffers.ArrayPool<ulong>.Shared.Rent(_parameters.N);
            Span<ulong> permuted = buffer.AsSpan(0, _parameters.N);
            PolyArithmetic.Permute(source0.Residue(j), permutation, permuted);
            PolyArithmetic.Add(u0.Residue(j), permuted, outputs[0].Residue(j), m.Value);
            u1.Residue(j).CopyTo(outputs[1].Residue(j));
            System.Buffers.ArrayPool<ulong>.Shared.Return(buffer);
        });
        u0.ReturnToPool();
        u1.ReturnToPool();
        Finish(destination, outputs, a.Scale);
    }

    private static Ciphertext RequireTwoComponents(Ciphertext a)
    {
        if (a.Size != 2)
        {
            throw new ArgumentException($"rotation needs a two-component ciphertext (got {a.Size}); relinearize first");
        }

        return a;
    }
}
