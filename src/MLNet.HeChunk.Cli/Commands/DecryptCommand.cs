using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Encryption;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary><c>hechunk decrypt</c> (client): encrypted scores to predictions, and metrics when labels are present.</summary>
internal static class DecryptCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var keys = new Option<string>("--keys") { Description = "Key folder holding public.keys and secret.key.", Required = true };
        var input = new Option<string>("--in") { Description = "Binary IDataView from hechunk score.", Required = true };
        var output = new Option<string?>("--out") { Description = "CSV of predictions to write (label, predicted, probabilities)." };
        var classes = new Option<string?>("--classes") { Description = "Class names in model order, comma-separated (default: classes.txt in the key folder, else the sorted labels)." };
        var command = new Command("decrypt", "Client side: decrypt the server's scores, print metrics and write predictions.") { keys, input, output, classes };
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            string keyFolder = parse.GetValue(keys)!;
            HeChunkKeys clientKeys = CliFiles.LoadClientKeys(keyFolder);
            IDataView received = CliFiles.LoadDataFile(ml, parse.GetValue(input)!, "EncryptedScores");
            bool labelled = received.Schema.GetColumnOrNull("Label") is not null;
            string[] classNames = ClassNames(parse.GetValue(classes), keyFolder, received, labelled);

            IEstimator<ITransformer> decrypting = ml.Transforms.DecryptScores(clientKeys, classNames);
            if (labelled)
            {
                // Label keys in the model's class order (not the order labels happen to appear in).
                IDataView keyData = ml.Data.LoadFromEnumerable(classNames.Select(c => new ClassName { Label = c }));
                decrypting = ml.Transforms.Conversion.MapValueToKey("Label", keyData: keyData).Append(decrypting);
            }

            IDataView scored = decrypting.Fit(received).Transform(received);
            float[][] scores = [.. scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray())];
            if (labelled)
            {
                MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
                var table = new Table().AddColumns("metric", "value");
                table.AddRow("images", scores.Length.ToString(CultureInfo.InvariantCulture));
                table.AddRow("accuracy", metrics.MicroAccuracy.ToString("P1", CultureInfo.InvariantCulture));
                table.AddRow("macro accuracy", metrics.MacroAccuracy.ToString("P1", CultureInfo.InvariantCulture));
                table.AddRow("log loss", metrics.LogLoss.ToString("F3", CultureInfo.InvariantCulture));
                context.Console.Write(table);
            }

            string[] labels = labelled ? [.. received.GetColumn<string>("Label")] : [.. scores.Select(_ => "")];
            var lines = new List<string> { "label,predicted," + string.Join(',', classNames) };
            for (int i = 0; i < scores.Length; i++)
            {
                int best = Array.IndexOf(scores[i], scores[i].Max());
                lines.Add($"{labels[i]},{classNames[best]}," + string.Join(',', scores[i].Select(s => s.ToString("G6", CultureInfo.InvariantCulture))));
            }

            if (parse.GetValue(output) is string outPath)
            {
                File.WriteAllLines(outPath, lines);
                context.Console.MarkupLineInterpolated($"Wrote {outPath}");
            }
            else
            {
                foreach (string line in lines.Take(21))
                {
                    context.Console.WriteLine(line);
                }
            }

            return HeChunkCli.Success;
        });
        return command;
    }

    private static string[] ClassNames(string? given, string keyFolder, IDataView received, bool labelled)
    {
        if (given is not null)
        {
            return given.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        string file = Path.Combine(keyFolder, Experiment.ExperimentRunner.ClassesFile);
        if (File.Exists(file))
        {
            return [.. File.ReadAllLines(file).Where(l => l.Length > 0)];
        }

        if (!labelled)
        {
            throw new CliException($"no class names: pass --classes or put {Experiment.ExperimentRunner.ClassesFile} in '{keyFolder}'");
        }

        return [.. received.GetColumn<string>("Label").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }
}
