namespace MLNet.HeChunk.Cli.Reporting;

/// <summary>Writes report.json, the charts, report.md and the self-contained report.html into an output folder.</summary>
internal static class ReportFiles
{
    /// <summary>File names.</summary>
    public const string Json = "report.json", Markdown = "report.md", Html = "report.html", PerClassPng = "per-class-accuracy.png",
        ConfusionPng = "confusion-matrices.png", GatePng = "gate-histogram.png", SamplesPng = "feature-chunks.png";

    /// <summary>Writes every report file; the sample image PNG is written by the experiment and only embedded here.</summary>
    public static void WriteAll(ExperimentReport report, string folder)
    {
        report.Save(Path.Combine(folder, Json));
        WriteViews(report, folder);
    }

    /// <summary>Redraws the charts, report.md and report.html from <paramref name="report"/>.</summary>
    public static void WriteViews(ExperimentReport report, string folder)
    {
        var shown = report.Models.Take(3).ToList();
        File.WriteAllBytes(Path.Combine(folder, PerClassPng), Charts.PerClassAccuracy(report.Data.Classes, shown));
        File.WriteAllBytes(Path.Combine(folder, ConfusionPng), Charts.ConfusionMatrices(report.Data.Classes, shown));
        File.WriteAllBytes(Path.Combine(folder, GatePng), Charts.GateHistogram(report.Gate, report.Data.Threshold));
        ReportDocument document = ReportContent.Build(report);
        File.WriteAllText(Path.Combine(folder, Markdown), document.ToMarkdown(name => File.Exists(Path.Combine(folder, name))));
        File.WriteAllText(Path.Combine(folder, Html), document.ToHtml("hechunk experiment report",
            name => File.Exists(Path.Combine(folder, name)) ? File.ReadAllBytes(Path.Combine(folder, name)) : null));
    }
}
