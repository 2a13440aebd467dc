namespace MLNet.HeChunk.Training;

/// <summary>Carves a stratified validation set out of training data.</summary>
internal static class ValidationSplit
{
    /// <summary>
    /// Splits <paramref name="data"/> so that each class gives round(<paramref name="fraction"/> * its count)
    /// images to validation (at least one when the fraction is positive and the class has two or more),
    /// chosen by a seeded shuffle. Stratifying keeps a small validation set balanced.
    /// </summary>
    public static (ImageDataset Train, ImageDataset? Validation) Split(ImageDataset data, double fraction, int seed)
    {
        if (fraction <= 0)
            return (data, null);
        var random = new Random(seed);
        var train = new List<int>();
        var validation = new List<int>();
        foreach (IGrouping<int, int> byClass in Enumerable.Range(0, data.Count).GroupBy(i => data.Labels[i]).OrderBy(g => g.Key))
        {
            int[] members = byClass.ToArray();
            random.Shuffle(members);
            int take = (int)Math.Round(members.Length * fraction);
            if (take == 0 && members.Length >= 2)
                take = 1;
            take = Math.Min(take, members.Length - 1);
            validation.AddRange(members.Take(take));
            train.AddRange(members.Skip(take));
        }
        train.Sort();
        validation.Sort();
        return (data.Subset(train), validation.Count == 0 ? null : data.Subset(validation));
    }
}
