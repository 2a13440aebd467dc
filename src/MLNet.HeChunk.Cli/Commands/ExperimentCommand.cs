using System.CommandLine;
using MLNet.HeChunk.Cli.Experiment;
using MLNet.HeChunk.Training;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary><c>hechunk experiment</c>: the paper's whole experiment, end to end, with a report.</summary>
internal static class ExperimentCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Option<string?>("--data") { Description = "Image folder: NEU-CLS layout (class folders or flat <Class>_<n>.bmp) or any folder per class. Default: generate the built-in synthetic set into <out>/data." };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "hechunk-out" };
        var threshold = new Option<double>("--threshold") { Description = "Sobel gate threshold on the 0-255 gradient scale.", DefaultValueFactory = _ => 100 };
        var chunk = new Option<string>("--chunk") { Description = "Chunk size HEIGHTxWIDTH (square, dividing 112).", DefaultValueFactory = _ => "28x28" };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum training epochs of both CNNs (default: 50 for the original CNN, 500 for the chunk CNN)." };
        var seed = new Option<int>("--seed") { Description = "Seed of data generation, training and the attacker.", DefaultValueFactory = _ => 1 };
        var testLimit = new Option<int?>("--test-limit") { Description = "Use at most N test images (classes in turn)." };
        var encryptedLimit = new Option<int?>("--encrypted-limit") { Description = "Score at most N test images encrypted in each mode (default: all test images)." };
        var timing = new Option<int>("--timing-images") { Description = "Images timed in each encryption mode (Table 2).", DefaultValueFactory = _ => 8 };
        var perClass = new Option<int>("--synthetic-per-class") { Description = "Images per class of the built-in synthetic set.", DefaultValueFactory = _ => 100 };
        var force = new Option<bool>("--force") { Description = "Replace the key set (secret.key) of an earlier run in the output folder." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads of the original CNN, and threads per image for encryption and encrypted scoring (the chunk CNN trains on one thread).", DefaultValueFactory = _ => 2 };
        var command = new Command("experiment", "Run the whole method: data, ML.NET client pipeline, training of the original and chunk CNNs, keys, encryption in three modes, encrypted scoring, decryption, evaluation, privacy audit; writes model.zip, keys and report.{json,md,html}.")
        {
            data, output, threshold, chunk, epochs, seed, testLimit, encryptedLimit, timing, perClass, threads, force,
        };
        command.SetAction(parse =>
        {
            int? epochCount = parse.GetValue(epochs);
            if (epochCount is < 1)
            {
                throw new CliException($"--epochs {epochCount}: must be at least 1");
            }

            var settings = new ExperimentSettings
            {
                DataFolder = parse.GetValue(data),
                OutFolder = parse.GetValue(output)!,
                Threshold = parse.GetValue(threshold),
                ChunkSide = ClientPipeline.ParseChunkSide(parse.GetValue(chunk)!),
                OriginalEpochs = epochCount ?? 50,
                ChunkEpochs = epochCount ?? ChunkCnnTrainer.DefaultTrainingOptions.MaxEpochs,
                Seed = parse.GetValue(seed),
                TestLimit = parse.GetValue(testLimit),
                EncryptedLimit = parse.GetValue(encryptedLimit),
                TimingImages = parse.GetValue(timing),
                SyntheticImagesPerClass = parse.GetValue(perClass),
                Threads = parse.GetValue(threads),
                CommandLine = "hechunk " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
            };
            if (settings.TestLimit is < 1)
            {
                throw new CliException($"--test-limit {settings.TestLimit}: must be at least 1");
            }

            if (settings.DataFolder is not null && !Directory.Exists(settings.DataFolder))
            {
                throw new CliException($"data folder '{settings.DataFolder}' does not exist");
            }

            // A secret key is never replaced silently: an earlier run's key set stays unless --force names the intent.
            string oldSecret = CliFiles.SecretKeyPath(Path.Combine(settings.OutFolder, KeyFolders.ClientFolder));
            if (File.Exists(oldSecret))
            {
                if (!parse.GetValue(force))
                {
                    throw new CliException($"'{oldSecret}' already exists from an earlier run; refusing to replace its key set (pass --force, or choose another --out)");
                }

                File.Delete(oldSecret);
            }

            var report = new ExperimentRunner(context, settings).Run();
            var table = new Table().AddColumns("figure", "value");
            table.AddRow("accuracy: original CNN", report.Accuracy.OriginalCnn.ToString("P1"));
            table.AddRow("accuracy: plaintext chunk CNN", report.Accuracy.PlainChunkCnn.ToString("P1"));
            table.AddRow("accuracy: encrypted chunk CNN (feature chunks)", report.Accuracy.EncryptedChunkCnn.ToString("P1"));
            table.AddRow("agreement plaintext/encrypted", report.Agreement.ToString("P1"));
            table.AddRow("max logit error", report.MaxLogitError.ToString("G3"));
            table.AddRow("feature chunk fraction", report.FeatureChunkFraction.ToString("P1"));
            table.AddRow("encryption ms/image (whole/all/feature)", $"{report.EncryptionMsPerImage.WholeImage:F0} / {report.EncryptionMsPerImage.AllChunks:F0} / {report.EncryptionMsPerImage.FeatureChunks:F0}");
            table.AddRow("server inference ms/image", report.InferenceMsPerImage.ToString("F0"));
            table.AddRow("upload per image", Reporting.ReportContent.Bytes(report.UploadBytesPerImage));
            table.AddRow("attacker accuracy (feature mode) vs chance", $"{report.Leakage.AttackerAccuracy:P1} vs {report.Leakage.Chance:P1}");
            table.AddRow("total time", $"{report.TotalSeconds:F0} s");
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"Report: {Path.Combine(Path.GetFullPath(settings.OutFolder), Reporting.ReportFiles.Html)}");
            return HeChunkCli.Success;
        });
        return command;
    }
}
