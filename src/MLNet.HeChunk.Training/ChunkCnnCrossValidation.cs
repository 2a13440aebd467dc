using MLNet.HeChunk.Data;

namespace MLNet.HeChunk.Training;

/// <summary>One configuration to compare by cross-validation.</summary>
/// <param name="Name">A short name for reports.</param>
/// <param name="Model">Network options.</param>
/// <param name="Training">Training options (the seed is replaced per fold).</param>
public sealed record CrossValidationCandidate(string Name, ChunkCnnOptions Model, TrainingOptions Training);

/// <summary>A candidate's held-out accuracy on each fold.</summary>
/// <param name="Name">The candidate's name.</param>
/// <param name="FoldAccuracies">Accuracy on each held-out fold.</param>
/// <param name="FoldBalancedAccuracies">Mean per-class recall on each held-out fold.</param>
public sealed record CrossValidationResult(string Name, double[] FoldAccuracies, double[] FoldBalancedAccuracies)
{
    /// <summary>Mean accuracy over the folds.</summary>
    public double Mean => FoldAccuracies.Average();

    /// <summary>Mean balanced accuracy over the folds.</summary>
    public double BalancedMean => FoldBalancedAccuracies.Average();

    /// <summary>Sample standard deviation of the fold accuracies.</summary>
    public double StandardDeviation => FoldAccuracies.Length < 2 ? 0 :
        Math.Sqrt(FoldAccuracies.Sum(a => (a - Mean) * (a - Mean)) / (FoldAccuracies.Length - 1));
}

/// <summary>
/// Stratified k-fold cross-validation of chunk CNN configurations on a training split: for each fold, train on the other
/// folds (the trainer carves its own validation set out of them) and score the held-out fold. The honest way to pick a
/// design or a default; the test split is never involved.
/// </summary>
public static class ChunkCnnCrossValidation
{
    /// <summary>Runs every candidate on the same folds.</summary>
    /// <exception cref="ArgumentException">No candidates, fewer than 2 folds, or a class smaller than the fold count.</exception>
    public static IReadOnlyList<CrossValidationResult> Run(ImageDataset data, IReadOnlyList<CrossValidationCandidate> candidates, int folds = 3, int seed = 1,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
            throw new ArgumentException("Nothing to compare: no candidates.", nameof(candidates));
        int[] fold = StratifiedFolds.Assign(data.Labels, folds, seed);
        var results = new List<CrossValidationResult>();
        foreach (CrossValidationCandidate candidate in candidates)
        {
            var accuracies = new double[folds];
            var balanced = new double[folds];
            for (int f = 0; f < folds; f++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ImageDataset train = data.Subset([.. Enumerable.Range(0, data.Count).Where(i => fold[i] != f)]);
                ImageDataset heldOut = data.Subset([.. Enumerable.Range(0, data.Count).Where(i => fold[i] == f)]);
                using TrainedChunkCnn model = ChunkCnnTrainer.Train(train, candidate.Model, candidate.Training with { Seed = candidate.Training.Seed + f },
                    cancellationToken: cancellationToken);
                (accuracies[f], balanced[f]) = Score(model, heldOut);
                progress?.Report($"{candidate.Name}: fold {f + 1}/{folds} accuracy {accuracies[f]:P2}");
            }

            results.Add(new CrossValidationResult(candidate.Name, accuracies, balanced));
        }

        return results;
    }

    private static (double Accuracy, double Balanced) Score(TrainedChunkCnn model, ImageDataset data)
    {
        double[][] logits = model.Logits(data.Images, data.Descriptors);
        var correct = new int[data.ClassCount];
        var total = new int[data.ClassCount];
        for (int i = 0; i < data.Count; i++)
        {
            int predicted = Array.IndexOf(logits[i], logits[i].Max());
            total[data.Labels[i]]++;
            if (predicted == data.Labels[i])
                correct[data.Labels[i]]++;
        }

        double accuracy = correct.Sum() / (double)data.Count;
        double balanced = Enumerable.Range(0, data.ClassCount).Where(c => total[c] > 0).Average(c => correct[c] / (double)total[c]);
        return (accuracy, balanced);
    }
}
