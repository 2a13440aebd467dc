using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// Estimator workouts of the encryption estimators (EncryptChunks, ScoreEncryptedChunkCnn, ScoreChunkCnn,
/// DecryptScores) on 56 x 56 images (four chunks): promised schema equals produced schema, invalid input fails early
/// naming column, expected and found, and save -> load in a fresh context gives the same values (for the randomized
/// encryption: the same values after decryption).
/// </summary>
public class EncryptionEstimatorTests : IClassFixture<EncryptedCnnFixture>
{
    private static readonly string[] ClassNames = ["a", "b", "c"];
    private readonly EncryptedCnnFixture _fixture;
    private readonly MLContext _ml = new(seed: 1);

    public EncryptionEstimatorTests(EncryptedCnnFixture fixture) => _fixture = fixture;

    private static ChunkCnnWeights SmallWeights()
    {
        var random = new Random(3);
        double[] Fill(int n, double s) => Enumerable.Range(0, n).Select(_ => s * (random.NextDouble() * 2 - 1)).ToArray();
        return new ChunkCnnWeights(56, 56, 28, 7, 7, 16, 128, 3, 1 / 255.0, 0,
            Fill(16 * 49, 0.2), Fill(16, 0.1), Fill(128 * 256, 0.1), Fill(128, 0.1), Fill(3 * 128, 0.2), Fill(3, 0.1));
    }

    private IDataView GatedChunks(int images)
    {
        var random = new Random(11);
        var data = TestData.Pixels(_ml, Enumerable.Range(0, images).Select(_ => TestData.Random(random, 56 * 56)).ToArray());
        return _ml.Transforms.SplitChunks("Chunks", "Pixels").Append(_ml.Transforms.SobelGate("ChunkIndex", "Pixels")).Fit(data).Transform(data);
    }

    private HeChunkKeys Keys => _fixture.Keys;

    private static ChunkEncryptionOptions Options(EncryptionMode mode = EncryptionMode.AllChunks) => new() { Mode = mode, Packing = new ChunkPacking(7, 7, 16) };

    [Fact]
    public void EncryptChunksWorkoutAndReloadedModelEncryptsTheSamePixels()
    {
        var data = GatedChunks(2);
        var transformer = EstimatorWorkout.Run(_ml, _ml.Transforms.EncryptChunks("EncryptedChunks", Keys, "Chunks", Options()), data, Keys.PublicOnly());
        var decryptor = new ChunkGroupDecryptor(Keys);
        var chunks = TestData.ReadFloats(data, "Chunks");
        var groups = TestData.Read(transformer.Transform(data), "EncryptedChunks");
        for (int row = 0; row < chunks.Length; row++)
        {
            float[] recovered = decryptor.DecryptChunks(EncryptedChunkGroup.FromBytes((byte[])groups[row][0], Keys));
            Assert.All(chunks[row].Zip(recovered), p => Assert.True(Math.Abs(p.First - p.Second) < 0.1, $"{p.Second} vs {p.First}"));
        }
    }

    [Fact]
    public void EncryptChunksRefusesBadInputEarly()
    {
        var data = GatedChunks(1);
        EstimatorWorkout.FailsNaming(() => _ml.Transforms.EncryptChunks("E", Keys, "Nope", Options()).Fit(data), "Nope", "Vector<Single>", "no such column");
        var noIndex = Options();
        noIndex.IndexColumnName = "Missing";
        EstimatorWorkout.FailsNaming(() => _ml.Transforms.EncryptChunks("E", Keys, "Chunks", noIndex).Fit(data), "Missing", "Vector<Int32>", "no such column");
        EstimatorWorkout.FailsNaming(() => _ml.Transforms.EncryptChunks("E", Keys, "ChunkIndex", Options()).Fit(data), "ChunkIndex", "Vector<Single>", "Int32");
        var wrongGrid = Options();
        wrongGrid.ChunkHeight = wrongGrid.ChunkWidth = 14;
        EstimatorWorkout.FailsNaming(() => _ml.Transforms.EncryptChunks("E", Keys, "Chunks", wrongGrid).Fit(data), "Chunks", "14 x 14", "3136 values");
        Assert.Throws<ArgumentException>(() => _ml.Transforms.EncryptChunks("E", Keys.PublicOnly(), "Chunks", new ChunkEncryptionOptions { UseSecretKey = true }));
    }

    [Fact]
    public void ScorersAndDecryptorWorkoutsAgreeWithThePlaintextScorer()
    {
        var data = GatedChunks(3);
        ChunkCnnWeights weights = SmallWeights();
        // Encryption is randomized and IDataViews are lazy: cache, so every pass reads the same ciphertexts.
        var encrypted = _ml.Data.Cache(_ml.Transforms.EncryptChunks("EncryptedChunks", Keys, "Chunks", Options(EncryptionMode.FeatureChunks)).Fit(data).Transform(data));

        var plain = EstimatorWorkout.Run(_ml, _ml.Transforms.ScoreChunkCnn(weights, ClassNames), data, "Score", "PredictedLabel");
        var server = EstimatorWorkout.Run(_ml, _ml.Transforms.ScoreEncryptedChunkCnn(weights, Keys), encrypted);
        var answers = _ml.Data.Cache(server.Transform(encrypted));
        var decrypted = EstimatorWorkout.Run(_ml, _ml.Transforms.DecryptScores(Keys, ClassNames), answers, Keys, "Score", "PredictedLabel");

        var expected = TestData.ReadFloats(plain.Transform(data), "Score");
        var actual = TestData.ReadFloats(decrypted.Transform(answers), "Score");
        for (int row = 0; row < expected.Length; row++)
        {
            Assert.All(expected[row].Zip(actual[row]), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-3, $"{p.Second} vs {p.First}"));
        }

        // Slot names carry the class names for ML.NET's evaluator.
        Microsoft.ML.Data.VBuffer<ReadOnlyMemory<char>> names = default;
        decrypted.Transform(answers).Schema["Score"].GetSlotNames(ref names);
        Assert.Equal(ClassNames, names.DenseValues().Select(n => n.ToString()));
    }

    [Fact]
    public void ScorersAndDecryptorRefuseBadInputEarly()
    {
        var data = GatedChunks(1);
        ChunkCnnWeights weights = SmallWeights();
        EstimatorWorkout.FailsNaming(() => _ml.Transforms.ScoreEncryptedChunkCnn(weights, Keys).GetOutputSchema(SchemaAssert.ShapeOf(data.Schema)),
            "EncryptedChunks", "Vector<Byte>", "no such column");
        EstimatorWorkout.FailsNaming(() => _ml.Transforms.DecryptScores(Keys, ClassNames, "Chunks").Fit(data), "Chunks", "Vector<Byte>", "Single");
        EstimatorWorkout.FailsNaming(() => _ml.Transforms.ScoreChunkCnn(weights, ClassNames, "ChunkScores").Fit(data), "ChunkScores", "Vector<Single, 3136>", "Vector<Single, 4>");
        Assert.Throws<ArgumentException>(() => _ml.Transforms.DecryptScores(Keys.PublicOnly(), ClassNames));
        Assert.Throws<ArgumentException>(() => _ml.Transforms.ScoreChunkCnn(weights, ["only-one"]));
        Assert.Throws<ArgumentException>(() => _ml.Transforms.ScoreChunkCnn(weights, ["a", "b"]));
    }
}
