using System.CommandLine;
using Microsoft.ML;
using MLNet.HeChunk.Encryption;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary>
/// <c>hechunk score</c> (server): encrypted chunk groups to encrypted scores, with public keys only; in this process
/// (<c>--model</c>) or on a running scoring service (<c>--server</c>, which registers the public keys).
/// </summary>
internal static class ScoreCommand
{
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
        var command = new Command("score", "Server side: evaluate the chunk CNN on the encrypted chunks; needs only the public keys.") { model, server, apiKey, modelName, keys, input, output };
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
            string outPath = parse.GetValue(output)!;
            context.Console.Status().Start("Scoring encrypted images...", _ =>
            {
                using FileStream file = File.Create(outPath);
                ml.Data.SaveAsBinary(answers, file);
            });
            context.Console.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length:N0} bytes of encrypted scores)");
            return HeChunkCli.Success;
        });
        return command;
    }
}
