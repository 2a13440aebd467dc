using System.Globalization;
using System.Text;
using Microsoft.ML.Transforms.Image;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Gating;
using Xunit.Abstractions;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// Produces the figures of docs/gate.md: the Sobel gate's chunk scores on all 1800 NEU-CLS images through the
/// client pipeline with default options (112 x 112, 28 x 28 chunks, mean magnitude saturated to 0-255,
/// threshold 100). Opt-in, so the normal test run stays cheap:
/// <c>HECHUNK_GATE_REPORT=/tmp/gate.md dotnet test tests/MLNet.HeChunk.Tests -c Release --filter Category=GateReport</c>
/// </summary>
public class GateReport(ITestOutputHelper output)
{
    [SkippableFact]
    [Trait("Category", "GateReport")]
    public void ChunkScoreDistributionOnNeuCls()
    {
        var target = Environment.GetEnvironmentVariable("HECHUNK_GATE_REPORT");
        Skip.If(string.IsNullOrEmpty(target), "Report generator: set HECHUNK_GATE_REPORT=<output .md path> to run it.");
        var samples = ImageFolderDataset.Scan(NeuClsLocator.Require());

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(samples);
        // The client pipeline, plus the same gate on the other magnitude scales for comparison.
        var pipeline = NeuClsPipelineTests.ClientPipeline(ml)
            .Append(ml.Transforms.SobelGate("IndexNormalized", "Pixels", new SobelGateOptions { Scale = GradientScale.Normalized255, ScoresColumnName = "ScoresNormalized" }))
            .Append(ml.Transforms.SobelGate("IndexRaw", "Pixels", new SobelGateOptions { Scale = GradientScale.Raw, ScoresColumnName = "ScoresRaw" }));
        var transformed = pipeline.Fit(data).Transform(data);
        // The same gate without histogram equalization, to show how much of the level equalization sets.
        var unequalized = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: nameof(ImageFolderSample.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", 112, 112))
            .Append(ml.Transforms.ConvertToGrayscale("Image"))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red))
            .Append(ml.Transforms.SobelGate("IndexUnequalized", "Pixels", new SobelGateOptions { ScoresColumnName = "ScoresUnequalized" }));
        var plain = TestData.ReadFloats(unequalized.Fit(data).Transform(data), "ScoresUnequalized");
        var scores = TestData.ReadFloats(transformed, "ChunkScores");
        var index = TestData.ReadInts(transformed, "ChunkIndex");
        Assert.Equal(samples.Count, scores.Length);

        var byClass = samples.Select((s, i) => (s.Label, Scores: scores[i], Index: index[i]))
            .GroupBy(x => x.Label).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();

        var md = new StringBuilder();
        md.AppendLine("| class | images | chunks | p5 | p25 | median | p75 | p95 | mean | gated (score > 100) | images with no feature chunk | images with all 16 |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var g in byClass)
            Row(md, g.Key, g.Select(x => x.Scores).ToList(), g.Select(x => x.Index).ToList());
        Row(md, "all", [.. scores], [.. index]);

        md.AppendLine();
        md.AppendLine("Fraction of chunks gated as features at other thresholds (same scores):");
        md.AppendLine();
        int[] thresholds = [25, 50, 75, 100, 125, 150, 200];
        md.AppendLine("| class | " + string.Join(" | ", thresholds.Select(t => $"> {t}")) + " |");
        md.AppendLine("|---|" + string.Concat(thresholds.Select(_ => "---|")));
        foreach (var g in byClass)
            md.AppendLine($"| {g.Key} | " + string.Join(" | ", thresholds.Select(t => Pct(g.SelectMany(x => x.Scores).Count(s => s > t), g.Count() * 16))) + " |");
        md.AppendLine("| all | " + string.Join(" | ", thresholds.Select(t => Pct(scores.SelectMany(s => s).Count(s => s > t), scores.Length * 16))) + " |");

        md.AppendLine();
        md.AppendLine("Mean magnitude on the other scales, and without histogram equalization (threshold 100 in every column):");
        md.AppendLine();
        md.AppendLine("| class | Clip255 median | Clip255 gated | Normalized255 median | Normalized255 gated | Raw median | Raw gated | no equalization: Clip255 median | no equalization: gated |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        var normalized = TestData.ReadFloats(transformed, "ScoresNormalized");
        var raw = TestData.ReadFloats(transformed, "ScoresRaw");
        foreach (var label in byClass.Select(g => g.Key).Append("all"))
        {
            var rows = Enumerable.Range(0, samples.Count).Where(i => label == "all" || samples[i].Label == label).ToList();
            md.Append($"| {label} |");
            foreach (var set in new[] { scores, normalized, raw, plain })
            {
                var values = rows.SelectMany(i => set[i]).Order().ToArray();
                md.Append(string.Create(CultureInfo.InvariantCulture, $" {P(values, 50):0.0} | {Pct(values.Count(v => v > 100), values.Length)} |"));
            }
            md.AppendLine();
        }

        output.WriteLine(md.ToString());
        File.WriteAllText(target!, md.ToString());
    }

    private static void Row(StringBuilder md, string name, List<float[]> scores, List<int[]> index)
    {
        var all = scores.SelectMany(s => s).Order().ToArray();
        int gated = index.SelectMany(i => i).Count(i => i > 0);
        md.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {scores.Count} | {all.Length} | {P(all, 5):0.0} | {P(all, 25):0.0} | {P(all, 50):0.0} | {P(all, 75):0.0} | {P(all, 95):0.0} | {all.Average():0.0} | " +
            $"{Pct(gated, all.Length)} | {Pct(index.Count(i => i.All(x => x < 0)), index.Count)} | {Pct(index.Count(i => i.All(x => x > 0)), index.Count)} |"));
    }

    // Nearest-rank percentile of sorted values.
    private static float P(float[] sorted, double percent) =>
        sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static string Pct(int count, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{100.0 * count / total:0.0}%");
}
