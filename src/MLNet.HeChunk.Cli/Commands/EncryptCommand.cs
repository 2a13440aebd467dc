using System.CommandLine;
using Microsoft.ML;
using MLNet.HeChunk.Cli.Experiment;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Transforms;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary><c>hechunk encrypt</c> (client): images to a binary IDataView of encrypted chunk groups and labels.</summary>
internal static class EncryptCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Image folder (class folders or flat <Class>_<n> files).", Required = true };
        var keys = new Option<string>("--keys") { Description = "Key folder (public.keys is enough).", Required = true };
        var output = new Option<string>("--out") { Description = "Binary IDataView to write (columns Label, EncryptedChunks).", Required = true };
        var mode = new Option<EncryptionMode>("--mode") { Description = "FeatureChunks (the paper), AllChunks or WholeImage.", DefaultValueFactory = _ => EncryptionMode.FeatureChunks };
        var model = new Option<string?>("--model") { Description = "model.zip of an experiment: its client pipeline and the packing of its chunk CNN (default: the standard pipeline, 28x28 chunks, threshold 100, stride 7, 16 filters)." };
        var limit = new Option<int?>("--limit") { Description = "Encrypt at most N images." };
        var command = new Command("encrypt", "Client side: run the client pipeline and encrypt each image's chunks with the public key.") { data, keys, output, mode, model, limit };
        command.SetAction(parse =>
        {
            var ml = new MLContext(1);
            HeChunkKeys publicKeys = CliFiles.LoadPublicKeys(parse.GetValue(keys)!);
            IReadOnlyList<ImageFolderSample> samples = DataSplit.Load(parse.GetValue(data)!) is var split ? [.. split.Train, .. split.Test] : [];
            if (parse.GetValue(limit) is int n)
            {
                samples = [.. samples.Take(n)];
            }

            IDataView input = ml.Data.LoadFromEnumerable(samples);
            ITransformer client;
            ChunkPacking packing = new(7, 7, 16);
            int side = 28;
            if (parse.GetValue(model) is string modelPath)
            {
                client = CliFiles.LoadModel(ml, modelPath, out _);
                if (HeChunkModel.FindAll<ChunkCnnScoringTransformer>(client).FirstOrDefault()?.Weights is { } weights)
                {
                    packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
                    side = weights.ChunkSize;
                }
            }
            else
            {
                client = ClientPipeline.Create(ml, side, 100).Fit(input);
            }

            IDataView chunks = client.Transform(input);
            var options = new ChunkEncryptionOptions { Mode = parse.GetValue(mode), Packing = packing, ChunkHeight = side, ChunkWidth = side, DegreeOfParallelism = 2 };
            IDataView encrypted = ml.Transforms.EncryptChunks("EncryptedChunks", publicKeys, "Chunks", options).Fit(chunks).Transform(chunks);
            IDataView upload = ml.Transforms.SelectColumns("Label", "EncryptedChunks").Fit(encrypted).Transform(encrypted);
            string outPath = parse.GetValue(output)!;
            context.Console.Status().Start($"Encrypting {samples.Count} images ({options.Mode})...", _ =>
            {
                using FileStream file = File.Create(outPath);
                ml.Data.SaveAsBinary(upload, file);
            });
            context.Console.MarkupLineInterpolated($"Wrote {outPath}: {samples.Count} encrypted images, {new FileInfo(outPath).Length:N0} bytes");
            return HeChunkCli.Success;
        });
        return command;
    }
}
