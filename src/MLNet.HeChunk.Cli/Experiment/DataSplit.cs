using MLNet.HeChunk.Data;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>The image set of a run, its classes and its train/test split.</summary>
/// <param name="Train">Training samples.</param>
/// <param name="Test">Test samples.</param>
/// <param name="ClassNames">Class names in ordinal order: class index i is ClassNames[i].</param>
/// <param name="Rule">How the split was made, for the report.</param>
internal sealed record DataSplit(IReadOnlyList<ImageFolderSample> Train, IReadOnlyList<ImageFolderSample> Test, IReadOnlyList<string> ClassNames, string Rule)
{
    /// <summary>
    /// Scans <paramref name="folder"/> (class folders or a flat folder of &lt;Class&gt;_&lt;n&gt; files) and splits it: by the
    /// NEU-CLS rule (test = n % 4 == 1) when every file carries a number and that rule leaves each class images on both
    /// sides; otherwise every fourth image of each class (positions 1, 5, 9, ... in name order) is a test image.
    /// </summary>
    /// <exception cref="CliException">Missing or empty folder, one class, a class too small to split, an unreadable file.</exception>
    public static DataSplit Load(string folder)
    {
        IReadOnlyList<ImageFolderSample> samples;
        try
        {
            samples = ImageFolderDataset.Scan(folder);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new CliException($"data folder: {e.Message}");
        }

        string[] classes = [.. samples.Select(s => s.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var byClass = samples.GroupBy(s => s.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var (label, members) in byClass)
        {
            if (members.Count < 2)
            {
                throw new CliException($"data folder '{folder}': class '{label}' has {members.Count} image; each class needs at least 2 (one to train, one to test)");
            }
        }

        bool numbered = samples.All(s => NeuClsSplit.TryGetImageNumber(s.ImagePath, out _));
        if (numbered)
        {
            var (train, test) = NeuClsSplit.Split(samples);
            bool bothSides = classes.All(c => train.Any(s => s.Label == c) && test.Any(s => s.Label == c));
            if (bothSides)
            {
                return new DataSplit(train, test, classes, "NEU-CLS rule: test = image number n with n % 4 == 1");
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

        return new DataSplit(trainList, testList, classes, "stratified: every 4th image of each class in name order (positions 1, 5, 9, ...) is a test image");
    }

    /// <summary>
    /// The test set cut to at most <paramref name="limit"/> images, taking classes in turn so every class stays
    /// represented.
    /// </summary>
    public DataSplit LimitTest(int? limit)
    {
        if (limit is not int n || n >= Test.Count)
        {
            return this;
        }

        if (n < 1)
        {
            throw new CliException($"--test-limit {n}: must be at least 1");
        }

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
