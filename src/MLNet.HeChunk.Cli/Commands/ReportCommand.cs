using System.CommandLine;
using MLNet.HeChunk.Cli.Reporting;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary><c>hechunk report</c>: redraws the charts, report.md and report.html from report.json.</summary>
internal static class ReportCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "The experiment's output folder (holding report.json).", DefaultValueFactory = _ => "hechunk-out" };
        var command = new Command("report", "Redraw the charts, report.md and report.html from an experiment's report.json.") { output };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(output)!;
            ExperimentReport report = ExperimentReport.Load(Path.Combine(folder, ReportFiles.Json));
            ReportFiles.WriteViews(report, folder);
            context.Console.MarkupLineInterpolated($"Wrote {Path.Combine(folder, ReportFiles.Markdown)} and {Path.Combine(folder, ReportFiles.Html)}");
            return HeChunkCli.Success;
        });
        return command;
    }
}
