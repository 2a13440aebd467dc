namespace MLNet.HeChunk.Data;

/// <summary>
/// Stratified k-fold assignment: within each class the samples are shuffled with a seeded generator and dealt to the folds
/// in turn, so every fold holds each class in proportion (within one sample). The basis of every cross-validated choice in
/// this project: designs and defaults are compared on folds of a training split, never on its test split.
/// </summary>
public static class StratifiedFolds
{
    /// <summary>The fold (0..<paramref name="folds"/>-1) of each sample.</summary>
    /// <exception cref="ArgumentException">Fewer than 2 folds, or a class with fewer samples than folds.</exception>
    public static int[] Assign(IReadOnlyList<int> labels, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (folds < 2)
            throw new ArgumentException($"Cross-validation needs at least 2 folds; found {folds}.", nameof(folds));
        var assignment = new int[labels.Count];
        var random = new Random(seed);
        foreach (IGrouping<int, int> byClass in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            int[] members = [.. byClass];
            if (members.Length < folds)
                throw new ArgumentException($"Class {byClass.Key} has {members.Length} samples, fewer than the {folds} folds.", nameof(labels));
            random.Shuffle(members);
            for (int j = 0; j < members.Length; j++)
                assignment[members[j]] = j % folds;
        }

        return assignment;
    }
}
