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
    /// <summary>
    /// The default flooding level: the largest that left every prediction of the random-weight test model unchanged
    /// with the N = 8192 chunk-CNN parameters (docs/threat-model.md).
    /// </summary>
    public const int DefaultFloodingBits = 8;

    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var keys = new Option<string>("--keys") { Description = "Key folder holding public.keys and secret.key.", Required = true };
        var input = new Option<string>("--in") { Description = "Binary IDataView from hechunk score.", Required = true };
        var output = new Option<string?>("--out") { Description = "CSV of predictions to write (label, predicted, probabilities)." };
        var classes = new Option<string?>("--classes") { Description = "Class names in model order, comma-separated (default: classes.txt in the key folder; never guessed from the data)." };
        var model = new Option<string?>("--model") { Description = "model.zip of an experiment: class names from its chunk CNN scorer when neither --classes nor classes.txt gives them." };
        var passphrase = new Option<string?>("--passphrase-env") { Description = "Environment variable holding the passphrase of a protected secret.key." };
        var flood = new Option<int>("--flood-bits") { Description = "Noise-flood the decrypted scores to this statistical security level in bits before printing or writing them (Li-Micciancio; docs/threat-model.md); 0 keeps full precision (keep such output on the client).", DefaultValueFactory = _ => DefaultFloodingBits };
        var command = new Command("decrypt", "Client side: decrypt the server's scores, print metrics and write predictions.") { keys, input, output, classes, model, passphrase, flood };
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            string keyFolder = parse.GetValue(keys)!;
            HeChunkKeys clientKeys = CliFiles.LoadClientKeys(keyFolder, KeyFolders.Passphrase(parse.GetValue(passphrase)));
            string[] classNames = ClassNames(ml, parse.GetValue(classes), keyFolder, parse.GetValue(model));
            IDataView received = CliFiles.LoadDataFile(ml, parse.GetValue(input)!, "EncryptedScores");
            bool labelled = received.Schema.GetColumnOrNull("Label") is not null;

            int floodingBits = parse.GetValue(flood);
            if (floodingBits is < 0 or > 128)
            {
                throw new CliException($"--flood-bits {floodingBits}: must be within [0, 128]");
            }

            IEstimator<ITransformer> decrypting = ml.Transforms.DecryptScores(clientKeys, classNames, floodingBits: floodingBits);
            if (labelled)
            {
                // Label keys in the model's class order (not the order labels happen to appear in).
                IDataView keyData = ml.Data.LoadFromEnumerable(classNames.Select(c => new ClassName { Label = c }));
                decrypting = ml.Transforms.Conversion.MapValueToKey("Label", keyData: keyData).Append(decrypting);
            }

            IDataView scored = decrypting.Fit(received).Transform(received);
            float[][] scores = [.. scored.GetColumn<VBuffer<float>>("Score").Select(v => v.DenseValues().ToArray())];
            string[] labels = labelled ? [.. received.GetColumn<string>("Label")] : [.. scores.Select(_ => "")];
            if (labelled)
            {
                // Rows whose label is not one of the model's classes are reported and counted as errors, not dropped.
                var known = new HashSet<string>(classNames, StringComparer.Ordinal);
                string[] unknown = [.. labels.Where(l => !known.Contains(l)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
                int unknownRows = labels.Count(l => !known.Contains(l));
                int correct = Enumerable.Range(0, scores.Length).Count(i => classNames[Array.IndexOf(scores[i], scores[i].Max())] == labels[i]);
                var table = new Table().AddColumns("metric", "value");
                table.AddRow("images", scores.Length.ToString(CultureInfo.InvariantCulture));
                table.AddRow("accuracy (all images)", (scores.Length == 0 ? 0 : (double)correct / scores.Length).ToString("P1", CultureInfo.InvariantCulture));
                table.AddRow("labels not among the model's classes", unknownRows == 0 ? "0" : $"{unknownRows} ({string.Join(", ", unknown.Take(5))}): counted as errors");
                if (unknownRows < scores.Length)
                {
                    MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
                    table.AddRow("macro accuracy (known labels)", metrics.MacroAccuracy.ToString("P1", CultureInfo.InvariantCulture));
                    table.AddRow("log loss (known labels)", metrics.LogLoss.ToString("F3", CultureInfo.InvariantCulture));
                }

                context.Console.Write(table);
                if (unknownRows > 0)
                {
                    context.Console.MarkupLineInterpolated($"warning: {unknownRows} images have labels the model does not know ({string.Join(", ", unknown.Take(5))}); they count as errors above");
                }
            }

            var lines = new List<string> { "label,predicted," + string.Join(',', classNames) };
            for (int i = 0; i < scores.Length; i++)
            {
                int best = Array.IndexOf(scores[i], scores[i].Max());
                lines.Add($"{labels[i]},{classNames[best]}," + string.Join(',', scores[i].Select(s => s.ToString("G6", CultureInfo.InvariantCulture))));
            }

            context.Console.MarkupLineInterpolated($"{(floodingBits > 0 ? $"Scores noise-flooded to {floodingBits}-bit statistical security (one query)." : "Scores at full precision (--flood-bits 0): keep them on the client.")}");
            if (parse.GetValue(output) is string outPath)
            {
                try
                {
                    IO.SafeFile.WriteAllBytes(outPath, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliException($"output file '{outPath}': {e.Message}");
                }

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

    private static string[] ClassNames(MLContext ml, string? given, string keyFolder, string? modelPath)
    {
        if (given is not null)
        {
            string[] names = given.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return names.Length >= 2 && names.Distinct(StringComparer.Ordinal).Count() == names.Length
                ? names
                : throw new CliException($"--classes '{given}': needs at least two distinct names");
        }

        if (CliFiles.ReadClassNames(keyFolder) is string[] fromKeys)
        {
            return fromKeys;
        }

        if (modelPath is not null)
        {
            ITransformer loaded = CliFiles.LoadModel(ml, modelPath, out _);
            return Persistence.HeChunkModel.FindAll<Transforms.ChunkCnnScoringTransformer>(loaded).FirstOrDefault()?.ClassNames.ToArray()
                ?? throw new CliException($"model file '{modelPath}' holds no chunk CNN scorer to take class names from");
        }

        throw new CliException(
            $"no class names: pass --classes, put {Experiment.ExperimentRunner.ClassesFile} in '{keyFolder}' (hechunk keys --classes writes it) or pass --model; " +
            "they are never guessed from the data's labels");
    }

    private sealed class ClassName
    {
        public string Label { get; set; } = "";
    }
}
