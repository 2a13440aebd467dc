using MLNet.HeChunk.Ckks;

namespace MLNet.HeChunk.Scoring;

/// <summary>
/// The giant-step half of a baby-step/giant-step diagonal product, shared by the chunk branch's dense layers and the
/// descriptor head: giant group g sums its pre-rotated diagonals times the hoisted baby rotations of the input, rescales
/// once (cheaper than rescaling each term), and rotates the sum by g baby lengths.
/// </summary>
internal static class BabyStepGiantStep
{
    /// <summary>Giant group <paramref name="g"/>, or null when all its diagonals are zero (null entries are skipped).</summary>
    public static Ciphertext? GiantStep(Evaluator evaluator, Plaintext?[] diagonals, IReadOnlyDictionary<int, Ciphertext> babies, int baby, int g)
    {
        Ciphertext? inner = null;
        for (int b = 0; b < baby; b++)
        {
            Plaintext? diagonal = diagonals[g * baby + b];
            if (diagonal is null)
            {
                continue;
            }

            Ciphertext term = evaluator.MultiplyPlain(babies[b], diagonal);
            if (inner is null)
            {
                inner = term;
            }
            else
            {
                evaluator.Add(inner, term, inner);
            }
        }

        if (inner is null)
        {
            return null;
        }

        inner = evaluator.Rescale(inner);
        return g == 0 ? inner : evaluator.Rotate(inner, g * baby);
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

    /// <summary>The sum of one or more ciphertexts (a new ciphertext; the terms are left as they are).</summary>
    public static Ciphertext Sum(Evaluator evaluator, IReadOnlyList<Ciphertext> terms)
    {
        Ciphertext total = terms[0].Clone();
        for (int i = 1; i < terms.Count; i++)
        {
            evaluator.Add(total, terms[i], total);
        }

        return total;
    }
}
