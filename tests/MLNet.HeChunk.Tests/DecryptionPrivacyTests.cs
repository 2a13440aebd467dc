using System.Diagnostics;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;
using Xunit.Abstractions;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// Noise flooding of decrypted scores and server-side re-randomization on the small random-weight model with the real
/// 128-bit key set: predictions stay identical at the documented level, the cost per image is measured, and the
/// flooding level at which predictions start to change is reported (docs/threat-model.md).
/// </summary>
public class DecryptionPrivacyTests(EncryptedCnnFixture fixture, ITestOutputHelper output) : IClassFixture<EncryptedCnnFixture>
{
    /// <summary>The level the command line floods to by default (decrypt --flood-bits).</summary>
    private const int DocumentedBits = 8;

    [Fact]
    public void FloodedAndRerandomizedScoresGiveTheSamePredictions()
    {
        var random = new Random(21);
        var scorer = new EncryptedChunkCnn(fixture.Weights, fixture.Keys.PublicOnly(), degreeOfParallelism: 2);
        var encryptor = new ChunkGroupEncryptor(fixture.Keys, fixture.Packing, EncryptionMode.AllChunks, degreeOfParallelism: 2);
        var decryptor = new ScoreDecryptor(fixture.Keys);
        var flooding = new ScoreNoiseFlooding(DocumentedBits);
        var answers = new List<(EncryptedScores Scores, int Expected, double Margin)>();
        for (int i = 0; i < 12; i++)
        {
            var (image, chunks, index) = fixture.RandomImage(random, _ => true);
            double[] reference = ChunkCnnReferenceForward.Logits(fixture.Weights, image);
            double[] sorted = [.. reference.OrderDescending()];
            answers.Add((scorer.Score(encryptor.Encrypt(fixture.Grid, chunks, index)), Array.IndexOf(reference, sorted[0]), sorted[0] - sorted[1]));
        }

        static int ArgMax(double[] x) => Array.IndexOf(x, x.Max());

        // Warm up, then time decryption alone, flooded decryption and re-randomization per image.
        _ = decryptor.DecryptLogits(answers[0].Scores, flooding);
        double plainMs = Time(() => answers.ForEach(a => decryptor.DecryptLogits(a.Scores))) / answers.Count;
        double floodMs = Time(() => answers.ForEach(a => decryptor.DecryptLogits(a.Scores, flooding))) / answers.Count;

        double t = answers.Max(a => ImaginaryError(decryptor, a.Scores));
        var rerandomizer = new EncryptedScoreRerandomizer(fixture.Keys.PublicOnly(), flooding.StandardDeviation(t));
        _ = rerandomizer.Rerandomize(answers[0].Scores);
        var rerandomized = new List<EncryptedScores>();
        double rerandomizeMs = Time(() => answers.ForEach(a => rerandomized.Add(rerandomizer.Rerandomize(a.Scores)))) / answers.Count;

        double smallestMargin = answers.Min(a => a.Margin);
        output.WriteLine($"error bound t (largest imaginary part, logits) {t:E2}; smallest logit margin {smallestMargin:F4}; {answers.Count} images");
        output.WriteLine($"decrypt {plainMs:F2} ms/image, flooded decrypt {floodMs:F2} ms/image, re-randomize {rerandomizeMs:F2} ms/image (sigma {rerandomizer.StandardDeviation:E2})");
        foreach (int bits in new[] { 4, 8, 12, 16, 20, 30 })
        {
            var level = new ScoreNoiseFlooding(bits);
            int same = answers.Count(a => ArgMax(decryptor.DecryptLogits(a.Scores, level)) == a.Expected);
            output.WriteLine($"s = {bits,2} bits: sigma {level.StandardDeviation(t):E2} logits, {same}/{answers.Count} predictions unchanged");
        }

        // Every image whose top-two margin exceeds 12 standard deviations of the combined noise (flooding plus
        // re-randomization, sigma * sqrt(2) each on two logits) keeps its prediction: a flip would be an 8.5-sigma event.
        // Images closer to a tie than that are the honest cost of flooding and are counted, not hidden.
        double combined = 2 * flooding.StandardDeviation(t);
        var staticFlooding = new ScoreNoiseFlooding(DocumentedBits, 1, t);
        int protectedImages = 0;
        for (int i = 0; i < answers.Count; i++)
        {
            Assert.NotEqual(answers[i].Scores.ToBytes(), rerandomized[i].ToBytes());
            if (answers[i].Margin >= 12 * combined)
            {
                protectedImages++;
                Assert.Equal(answers[i].Expected, ArgMax(decryptor.DecryptLogits(answers[i].Scores, flooding)));
                // After re-randomization the imaginary parts hold the added noise too, so the client floods with the static bound t.
                Assert.Equal(answers[i].Expected, ArgMax(decryptor.DecryptLogits(rerandomized[i], staticFlooding)));
            }
        }

        output.WriteLine($"s = {DocumentedBits}: {protectedImages}/{answers.Count} images have a margin above 12 sigma and kept their prediction under flooding and re-randomization");
        Assert.True(protectedImages >= answers.Count / 2, $"only {protectedImages} images are clear of the flooding noise");
    }

    [Fact]
    public void FloodingFollowsTheStatedRule()
    {
        var rule = new ScoreNoiseFlooding(30, adversarialQueries: 4, noiseBound: 1e-6);
        Assert.Equal(Math.Sqrt(48) * Math.Pow(2, 15) * 1e-6, rule.StandardDeviation(1e-6), 12);
        var samples = new double[20_000];
        double sigma = rule.Apply(samples, 123);
        Assert.Equal(rule.StandardDeviation(1e-6), sigma);
        double mean = samples.Average(), deviation = Math.Sqrt(samples.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(deviation / sigma, 0.97, 1.03);
        Assert.InRange(Math.Abs(mean) / sigma, 0, 0.03);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScoreNoiseFlooding(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EncryptedScoreRerandomizer(fixture.Keys, double.NaN));
    }

    private static double ImaginaryError(ScoreDecryptor decryptor, EncryptedScores scores) => decryptor.EstimateError(scores);

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }
}
