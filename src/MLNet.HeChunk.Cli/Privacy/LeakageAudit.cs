using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Cli.Experiment;
using MLNet.HeChunk.Cli.Reporting;

namespace MLNet.HeChunk.Cli.Privacy;

/// <summary>
/// The privacy audit: an attacker (one-versus-all over ML.NET FastTree binary classifiers) learns the class from what the
/// server sees, trained on the training images and tested on the test images of the run's split.
/// </summary>
internal static class LeakageAudit
{
    /// <summary>Runs the attacker in each view and returns the summary.</summary>
    /// <param name="ml">The ML.NET context (seeded).</param>
    /// <param name="train">Training images.</param>
    /// <param name="test">Test images.</param>
    /// <param name="chunkSide">Chunk side.</param>
    /// <param name="classCount">K.</param>
    /// <param name="ciphertexts">Ciphertexts of an upload with the given number of encrypted chunks.</param>
    /// <param name="onView">Called after each attacker.</param>
    public static LeakageSummary Run(MLContext ml, IReadOnlyList<PreparedImage> train, IReadOnlyList<PreparedImage> test, int chunkSide, int classCount,
        Func<int, int> ciphertexts, Action onView)
    {
        double Attack(ServerView.Mode mode)
        {
            double accuracy = AttackerAccuracy(ml, train, test, chunkSide, classCount, mode, ciphertexts);
            onView();
            return accuracy;
        }

        int chunkCount = test[0].ChunkIndex.Length;
        double majority = test.GroupBy(i => i.ClassIndex).Max(g => g.Count()) / (double)test.Count;
        return new LeakageSummary
        {
            AttackerAccuracy = Attack(ServerView.Mode.FeatureChunks),
            AllChunksAttackerAccuracy = Attack(ServerView.Mode.AllChunks),
            IndexOnlyAttackerAccuracy = Attack(ServerView.Mode.IndexOnly),
            PlaintextAttackerAccuracy = Attack(ServerView.Mode.Plaintext),
            Chance = Math.Max(1.0 / classCount, majority),
            ClearPixelFraction = test.Sum(i => chunkCount - i.FeatureChunkCount) / (double)(test.Count * chunkCount),
            Attacker = "ML.NET OneVersusAll(FastTree binary: 50 trees, 8 leaves, at least 5 examples per leaf), trained on the training split, tested on the test split",
            Features = "per chunk: gate sign (+1/-1, feature mode only); for chunks sent in the clear: mean, standard deviation, min, max, mean |horizontal| and " +
                "|vertical| pixel difference, 4 x 4 block means (zero for encrypted chunks); per image: encrypted chunk count and ciphertext count " +
                "(they fix the upload's byte size)",
        };
    }

    private static double AttackerAccuracy(MLContext ml, IReadOnlyList<PreparedImage> train, IReadOnlyList<PreparedImage> test, int chunkSide, int classCount,
        ServerView.Mode mode, Func<int, int> ciphertexts)
    {
        int length = ServerView.Length(train[0].ChunkIndex.Length);
        AttackRow Row(PreparedImage image)
        {
            int encrypted = mode switch
            {
                ServerView.Mode.FeatureChunks or ServerView.Mode.IndexOnly => image.FeatureChunkCount,
                ServerView.Mode.Plaintext => 0,
                _ => image.ChunkIndex.Length,
            };
            return new AttackRow { Label = image.ClassIndex, Features = ServerView.Features(image, chunkSide, mode, ciphertexts(encrypted)) };
        }

        var schema = SchemaDefinition.Create(typeof(AttackRow));
        schema[nameof(AttackRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        IDataView trainView = ml.Data.LoadFromEnumerable(train.Select(Row).ToList(), schema);
        IDataView testView = ml.Data.LoadFromEnumerable(test.Select(Row).ToList(), schema);

        // Class indices as keys through MapValueToKey over 0..K-1, so every class has a key even if a split lacks it.
        IDataView keyData = ml.Data.LoadFromEnumerable(Enumerable.Range(0, classCount).Select(c => new LabelRow { Label = c }));
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(AttackRow.Label), keyData: keyData)
            .Append(ml.MulticlassClassification.Trainers.OneVersusAll(
                ml.BinaryClassification.Trainers.FastTree(numberOfLeaves: 8, numberOfTrees: 50, minimumExampleCountPerLeaf: 5)));
        ITransformer model = pipeline.Fit(trainView);
        return ml.MulticlassClassification.Evaluate(model.Transform(testView)).MicroAccuracy;
    }

    private sealed class AttackRow
    {
        public int Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    private sealed class LabelRow
    {
        public int Label { get; set; }
    }
}
