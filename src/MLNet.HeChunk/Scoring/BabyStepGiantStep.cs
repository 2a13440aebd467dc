using MLNet.HeChunk.Ckks;

namespace MLNet.HeChunk.Scoring;

/// <summary>
/// The pieces of a baby-step/giant-step diagonal product, shared by the convolution, the chunk branch's dense layers
/// and the descriptor head. The rotation schedule is chosen for few Galois keys (each key is up to 1.3 MB on the
/// wire): the baby rotations by b*unit are a chain of rotations by the unit, and the giant groups are combined by
/// Horner's rule with the single giant step (acc = group_g + rotate(acc, giant)), so a product needs two keys instead
/// of baby + giant - 2, for the same number of rotations.
/// </summary>
internal static class BabyStepGiantStep
{
    /// <summary>
    /// x rotated by b * <paramref name="unit"/> for b = 0..count-1 (entry 0 is x itself): a chain, each rotated once more
    /// by the unit. As many rotations as hoisting or a tree would take, one Galois key instead of count - 1 or
    /// log2(count); the evaluator spreads each rotation over its threads.
    /// </summary>
    public static Ciphertext[] Babies(Evaluator evaluator, Ciphertext x, int count, int unit)
    {
        var babies = new Ciphertext[count];
        babies[0] = x;
        for (int b = 1; b < count; b++)
        {
            babies[b] = evaluator.Rotate(babies[b - 1], unit);
        }

        return babies;
    }

    /// <summary>
    /// The rescaled sum of a giant group's pre-rotated diagonals times the baby rotations (diagonal g * baby + b times
    /// babies[b]), or null when all its diagonals are zero (null entries are skipped). Rescaling the sum once is cheaper
    /// than rescaling each term.
    /// </summary>
    public static Ciphertext? Group(Evaluator evaluator, Plaintext?[] diagonals, IReadOnlyList<Ciphertext> babies, int baby, int g)
    {
        Ciphertext? sum = AccumulateProducts(evaluator, null, diagonals, babies, baby, g);
        return sum is null ? null : evaluator.Rescale(sum);
    }

    /// <summary>
    /// <paramref name="sum"/> plus diagonal g * baby + b times babies[b] for every non-null diagonal of group
    /// <paramref name="g"/>, not rescaled; a new ciphertext when <paramref name="sum"/> is null (null if the group is empty).
    /// </summary>
    public static Ciphertext? AccumulateProducts(Evaluator evaluator, Ciphertext? sum, Plaintext?[] diagonals, IReadOnlyList<Ciphertext> babies, int baby, int g)
    {
        Ciphertext? term = null;
        for (int b = 0; b < baby && b < babies.Count; b++)
        {
            Plaintext? diagonal = diagonals[g * baby + b];
            if (diagonal is null)
            {
                continue;
            }

            if (sum is null)
            {
                sum = evaluator.MultiplyPlain(babies[b], diagonal);
                continue;
            }

            // One scratch ciphertext per group for the products: a few hundred per image, each as large as the input.
            term ??= sum.Clone();
            evaluator.MultiplyPlain(babies[b], diagonal, term);
            evaluator.Add(sum, term, sum);
        }

        return sum;
    }

    /// <summary>
    /// The sum over g >= <paramref name="from"/> of groups[g] rotated by (g - from) * <paramref name="giantStep"/>, by
    /// Horner's rule: one key, one rotation per group between the last non-null one and <paramref name="from"/>. Null
    /// when every such group is null; groups below <paramref name="from"/> must be null.
    /// </summary>
    public static Ciphertext? Horner(Evaluator evaluator, IReadOnlyList<Ciphertext?> groups, int giantStep, int from = 0)
    {
        Ciphertext? accumulator = null;
        for (int g = groups.Count - 1; g >= from; g--)
        {
            if (accumulator is not null)
            {
                accumulator = evaluator.Rotate(accumulator, giantStep);
            }

            Ciphertext? group = groups[g];
            if (group is null)
            {
                continue;
            }

            if (accumulator is null)
            {
                accumulator = group.Clone();
            }
            else
            {
                evaluator.Add(accumulator, group, accumulator);
            }
        }

        return accumulator;
    }

    /// <summary><paramref name="values"/> zero-padded to <paramref name="segment"/> slots and repeated across all <paramref name="slots"/>.</summary>
    public static double[] Periodic(IReadOnlyList<double> values, int segment, int slots)
    {
        var vector = new double[slots];
        for (int i = 0; i < slots; i++)
        {
            int j = i % segment;
            vector[i] = j < values.Count ? values[j] : 0;
        }

        return vector;
    }
}
