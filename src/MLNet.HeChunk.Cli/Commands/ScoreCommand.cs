using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Encryption;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary>
/// <c>hechunk score</c> (server): encrypted chunk groups to encrypted scores, with public keys only; in this process
/// (<c>--model</c>) or on a running scoring service (<c>--server</c>, which registers the public keys).
/// </summary>
internal static class ScoreCommand
{
    /// <summary>
    /// A bound on the CKKS error of the encrypted chunk CNN's output slots (before the logit scale) with the N = 8192
    /// parameters: the largest imaginary part measured was 1.4e-4 (DecryptionPrivacyTests); this leaves some headroom.
    /// </summary>
    public const double EvaluationErrorBound = 2e-4;

    private static IDataView Rerandomize(MLContext ml, IDataView answers, HeChunkKeys keys, double standardDeviation)
    {
        var rerandomizer = new EncryptedScoreRerandomizer(keys, standardDeviation);
        bool labelled = answers.Schema.GetColumnOrNull("Label") is not null;
        string[] labels = labelled ? [.. answers.GetColumn<string>("Label")] : [];
        var rows = answers.GetColumn<VBuffer<byte>>("EncryptedScores")
            .Select((v, i) => new AnswerRow
            {
                Label = labelled ? labels[i] : "",
                EncryptedScores = rerandomizer.Rerandomize(EncryptedScores.FromBytes(v.DenseValues().ToArray(), keys)).ToBytes(),
            })
            .ToList();
        IDataView view = ml.Data.LoadFromEnumerable(rows);
        return labelled ? view : ml.Transforms.DropColumns("Label").Fit(view).Transform(view);
    }

    private sealed class AnswerRow
    {
        public string Label { get; set; } = "";

        public byte[] EncryptedScores { get; set; } = [];
    }

    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "chunk-cnn.weights or model.zip of an experiment (scores in this process)." };
        var server = new Option<string?>("--server") { Description = "Address of a running hechunk serve (for example http://127.0.0.1:5080): score there instead." };
        var apiKey = new Option<string?>("--api-key") { Description = $"With --server: the tenant's API key (or set {Service.ServerSettings.ApiKeyVariable})." };
        var modelName = new Option<string>("--model-name") { Description = "With --server: the served model to use (default: the server's default).", DefaultValueFactory = _ => "" };
        var keys = new Option<string>("--keys") { Description = "Key folder holding public.keys (the secret key is not read).", Required = true };
        var input = new Option<string>("--in") { Description = "Binary IDataView from hechunk encrypt.", Required = true };
        var output = new Option<string>("--out") { Description = "Binary IDataView to write (Label, EncryptedScores).", Required = true };
        var rerandomize = new Option<int>("--rerandomize-bits") { Description = "Circuit privacy (local scoring): add to each answer a fresh encryption of zero whose noise floods the evaluation error to this statistical level (0: off).", DefaultValueFactory = _ => 0 };
        var command = new Command("score", "Server side: evaluate the chunk CNN on the encrypted chunks; needs only the public keys.") { model, server, apiKey, modelName, keys, input, output, rerandomize };
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            string? modelPath = parse.GetValue(model), serverAddress = parse.GetValue(server);
            if ((modelPath is null) == (serverAddress is null))
            {
                throw new CliException("give either --model (score in this process) or --server (score on a running hechunk serve)");
            }

            var weights = modelPath is null ? null : CliFiles.LoadWeights(ml, modelPath);
            HeChunkKeys publicKeys = CliFiles.LoadPublicKeys(parse.GetValue(keys)!);
            IDataView upload = CliFiles.LoadDataFile(ml, parse.GetValue(input)!, "EncryptedChunks");
            IDataView scored = weights is not null
                ? ml.Transforms.ScoreEncryptedChunkCnn(weights, publicKeys, degreeOfParallelism: 2).Fit(upload).Transform(upload)
                : Service.RemoteScoring.Score(ml, upload, serverAddress!, Service.ServerSettings.ClientKey(parse.GetValue(apiKey)), parse.GetValue(modelName)!, publicKeys);
            string[] keep = upload.Schema.GetColumnOrNull("Label") is null ? ["EncryptedScores"] : ["Label", "EncryptedScores"];
            IDataView answers = ml.Transforms.SelectColumns(keep).Fit(scored).Transform(scored);
            int bits = parse.GetValue(rerandomize);
            if (bits is < 0 or > 128)
            {
                throw new CliException($"--rerandomize-bits {bits}: must be within [0, 128]");
            }

            if (bits > 0 && weights is null)
            {
                throw new CliException("--rerandomize-bits applies to scoring in this process (--model); a scoring service re-randomizes on its own side");
            }

            if (bits > 0)
            {
                answers = Rerandomize(ml, answers, publicKeys, new ScoreNoiseFlooding(bits).StandardDeviation(EvaluationErrorBound * weights!.LogitScale));
            }

            string outPath = parse.GetValue(output)!;
            context.Console.Status().Start("Scoring encrypted images...", _ => CliFiles.SaveDataFile(ml, answers, outPath));
            context.Console.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length:N0} bytes of encrypted scores)");
            return HeChunkCli.Success;
        });
        return command;
    }
}
