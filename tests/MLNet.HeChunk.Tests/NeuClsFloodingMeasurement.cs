using System.Diagnostics;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;
using Xunit.Abstractions;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// Flooded decryption and re-randomized answers on the NEU-CLS test split with trained weights: accuracy per flooding
/// level against the unflooded accuracy, and the cost per image. A measurement, run by hand: it needs the weights of
/// a trained chunk CNN (<c>hechunk experiment</c> writes <c>chunk-cnn.weights</c>) in <c>HECHUNK_TRAINED_WEIGHTS</c>,
/// and skips without them (docs/threat-model.md records a run).
/// </summary>
public class NeuClsFloodingMeasurement(ITestOutputHelper output)
{
    private const string WeightsVariable = "HECHUNK_TRAINED_WEIGHTS";

    [SkippableFact]
    public void FloodedDecryptionKeepsTheAccuracy()
    {
        string? weightsPath = Environment.GetEnvironmentVariable(WeightsVariable);
        Skip.If(string.IsNullOrEmpty(weightsPath) || !File.Exists(weightsPath), $"{WeightsVariable} does not name a trained chunk-cnn.weights file");
        ChunkCnnWeights weights = ChunkCnnWeightsSerializer.Deserialize(File.ReadAllBytes(weightsPath!));
        string[] classes = ["Cr", "In", "PS", "Pa", "RS", "Sc"];
        var ml = new MLContext(seed: 1);
        var (_, test) = NeuClsSplit.Split(ImageFolderDataset.Scan(NeuClsLocator.Require()));
        IDataView data = ml.Data.LoadFromEnumerable(test);
        IDataView prepared = NeuClsPipelineTests.ClientPipeline(ml).Fit(data).Transform(data);
        float[][] chunks = TestData.ReadFloats(prepared, "Chunks");
        int[] labels = [.. test.Select(s => Array.IndexOf(classes, s.Label))];

        var packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
        HeChunkKeys keys = HeChunkKeys.GenerateForChunkCnn(CkksParameters.Create(CkksPresets.N8192ChunkCnn), packing, weights.ChunkSize, 2);
        var encryptor = new ChunkGroupEncryptor(keys, packing, EncryptionMode.AllChunks, degreeOfParallelism: 2);
        var scorer = new EncryptedChunkCnn(weights, keys.PublicOnly(), degreeOfParallelism: 2);
        var grid = new Chunking.ChunkGrid(112, 112, weights.ChunkSize, weights.ChunkSize);
        int[] allFeatures = [.. Enumerable.Range(1, grid.ChunkCount)];
        var answers = new EncryptedScores[chunks.Length];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < chunks.Length; i++)
        {
            answers[i] = scorer.Score(encryptor.Encrypt(grid, chunks[i], allFeatures));
        }

        double scoreSeconds = clock.Elapsed.TotalSeconds;
        var decryptor = new ScoreDecryptor(keys);
        static int ArgMax(double[] x) => Array.IndexOf(x, x.Max());
        double Accuracy(Func<int, double[]> logits) => Enumerable.Range(0, answers.Length).Count(i => ArgMax(logits(i)) == labels[i]) / (double)answers.Length;
        int[] plain = [.. answers.Select(a => ArgMax(decryptor.DecryptLogits(a)))];
        double t = answers.Max(decryptor.EstimateError);
        output.WriteLine($"{answers.Length} test images, encrypted and scored in {scoreSeconds:F0} s; error bound t (largest imaginary part) {t:E2} logits, logit scale {weights.LogitScale}");
        double unflooded = Accuracy(i => decryptor.DecryptLogits(answers[i]));
        output.WriteLine($"accuracy without flooding {unflooded:P1}");
        var byBits = new Dictionary<int, double>();
        foreach (int bits in new[] { 4, 8, 12, 16, 20, 30 })
        {
            var flooding = new ScoreNoiseFlooding(bits);
            clock.Restart();
            double[][] flooded = [.. answers.Select(a => decryptor.DecryptLogits(a, flooding))];
            double ms = clock.Elapsed.TotalMilliseconds / answers.Length;
            byBits[bits] = Accuracy(i => flooded[i]);
            int same = Enumerable.Range(0, answers.Length).Count(i => ArgMax(flooded[i]) == plain[i]);
            output.WriteLine($"s = {bits,2}: sigma {flooding.StandardDeviation(t):E2} logits, accuracy {byBits[bits]:P1}, predictions unchanged {same}/{answers.Length}, {ms:F2} ms/image");
        }

        var rerandomizer = new EncryptedScoreRerandomizer(keys.PublicOnly(), new ScoreNoiseFlooding(8).StandardDeviation(2e-4 * weights.LogitScale));
        clock.Restart();
        EncryptedScores[] rerandomized = [.. answers.Select(rerandomizer.Rerandomize)];
        double rerandomizeMs = clock.Elapsed.TotalMilliseconds / answers.Length;
        var staticFlooding = new ScoreNoiseFlooding(8, 1, t);
        double afterBoth = Accuracy(i => decryptor.DecryptLogits(rerandomized[i], staticFlooding));
        output.WriteLine($"re-randomized (s = 8, sigma {rerandomizer.StandardDeviation:E2}) then flooded (s = 8, static t): accuracy {afterBoth:P1}; re-randomization {rerandomizeMs:F1} ms/image");
        Assert.InRange(byBits[8], unflooded - 0.01, unflooded + 0.01);
        Assert.InRange(afterBoth, unflooded - 0.01, unflooded + 0.01);
    }
}
