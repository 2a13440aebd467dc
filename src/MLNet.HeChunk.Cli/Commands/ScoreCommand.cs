using System.CommandLine;
using Microsoft.ML;
using MLNet.HeChunk.Encryption;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary><c>hechunk score</c> (server): encrypted chunk groups to encrypted scores, with public keys only.</summary>
internal static class ScoreCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "chunk-cnn.weights or model.zip of an experiment.", Required = true };
        var keys = new Option<string>("--keys") { Description = "Key folder holding public.keys (the secret key is not read).", Required = true };
        var input = new Option<string>("--in") { Description = "Binary IDataView from hechunk encrypt.", Required = true };
        var output = new Option<string>("--out") { Description = "Binary IDataView to write (Label, EncryptedScores).", Required = true };
        var command = new Command("score", "Server side: evaluate the chunk CNN on the encrypted chunks; needs only the public keys.") { model, keys, input, output };
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            var weights = CliFiles.LoadWeights(ml, parse.GetValue(model)!);
            HeChunkKeys publicKeys = CliFiles.LoadPublicKeys(parse.GetValue(keys)!);
            IDataView upload = CliFiles.LoadDataFile(ml, parse.GetValue(input)!, "EncryptedChunks");
            IDataView scored = ml.Transforms.ScoreEncryptedChunkCnn(weights, publicKeys, degreeOfParallelism: 2).Fit(upload).Transform(upload);
            string[] keep = upload.Schema.GetColumnOrNull("Label") is null ? ["EncryptedScores"] : ["Label", "EncryptedScores"];
            IDataView answers = ml.Transforms.SelectColumns(keep).Fit(scored).Transform(scored);
            string outPath = parse.GetValue(output)!;
            context.Console.Status().Start("Scoring encrypted images...", _ => CliFiles.SaveDataFile(ml, answers, outPath));
            context.Console.MarkupLineInterpolated($"Wrote {outPath} ({new FileInfo(outPath).Length:N0} bytes of encrypted scores)");
            return HeChunkCli.Success;
        });
        return command;
    }
}
