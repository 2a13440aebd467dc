namespace MLNet.HeChunk.Data;

/// <summary>
/// The train/test split of an image folder, the one place that decides it for the command line, the tests and the
/// notebooks: the NEU-CLS rule (<see cref="NeuClsSplit"/>: test = image number n with n % 4 == 1) when every file name
/// carries a number and that rule leaves each class images on both sides; otherwise a stratified rule, every fourth image
/// of each class in name order (positions 1, 5, 9, ... counted from 0) is a test image. Both are deterministic.
/// </summary>
/// <param name="Train">Training samples, in scan order.</param>
/// <param name="Test">Test samples, in scan order.</param>
/// <param name="ClassNames">Class names in ordinal order: class index i is ClassNames[i] (the order of
/// <c>MapValueToKey(keyOrdinality: ByValue)</c> and of every model's scores).</param>
/// <param name="Rule">Which rule made the split, in words (for reports).</param>
public sealed record TrainTestSplit(IReadOnlyList<ImageFolderSample> Train, IReadOnlyList<ImageFolderSample> Test, IReadOnlyList<string> ClassNames, string Rule)
{
    /// <summary>The description of the NEU-CLS rule.</summary>
    public const string NeuClsRule = "NEU-CLS rule: test = image number n with n % 4 == 1";

    /// <summary>The description of the stratified rule.</summary>
    public const string StratifiedRule = "stratified: every 4th image of each class in name order (positions 1, 5, 9, ...) is a test image";

    /// <summary>Scans <paramref name="folder"/> with <see cref="ImageFolderDataset.Scan(string)"/> and splits it.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No images, a single class, a class with fewer than 2 images, an unreadable file.</exception>
    public static TrainTestSplit Load(string folder) => Of(ImageFolderDataset.Scan(folder), folder);

    /// <summary>Splits <paramref name="samples"/> (see the type's summary for the rules).</summary>
    /// <exception cref="InvalidDataException">A class has fewer than 2 images (one to train, one to test).</exception>
    public static TrainTestSplit Of(IReadOnlyList<ImageFolderSample> samples, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        string[] classes = [.. samples.Select(s => s.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var byClass = samples.GroupBy(s => s.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var (label, members) in byClass)
        {
            if (members.Count < 2)
            {
                throw new InvalidDataException($"data folder '{source ?? "(samples)"}': class '{label}' has {members.Count} image; each class needs at least 2 (one to train, one to test)");
            }
        }

        if (samples.All(s => NeuClsSplit.TryGetImageNumber(s.ImagePath, out _)))
        {
            var (train, test) = NeuClsSplit.Split(samples);
            if (classes.All(c => train.Any(s => s.Label == c) && test.Any(s => s.Label == c)))
            {
                return new TrainTestSplit(train, test, classes, NeuClsRule);
            }
        }

        var trainList = new List<ImageFolderSample>();
        var testList = new List<ImageFolderSample>();
        foreach (string label in classes)
        {
            List<ImageFolderSample> members = byClass[label];
            for (int i = 0; i < members.Count; i++)
            {
                (i % 4 == 1 ? testList : trainList).Add(members[i]);
            }
        }

        return new TrainTestSplit(trainList, testList, classes, StratifiedRule);
    }

    /// <summary>
    /// The test set cut to at most <paramref name="limit"/> images, taking classes in turn so every class stays
    /// represented; the split itself when <paramref name="limit"/> is null or not below the test set's size.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is below 1.</exception>
    public TrainTestSplit LimitTest(int? limit)
    {
        if (limit is not int n || n >= Test.Count)
        {
            return this;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(limit));
        var queues = ClassNames.Select(c => new Queue<ImageFolderSample>(Test.Where(s => s.Label == c))).ToList();
        var kept = new List<ImageFolderSample>();
        while (kept.Count < n)
        {
            foreach (var queue in queues)
            {
                if (kept.Count < n && queue.Count > 0)
                {
                    kept.Add(queue.Dequeue());
                }
            }
        }

        return this with { Test = kept, Rule = Rule + $"; test set limited to {n} images (classes in turn)" };
    }
}
