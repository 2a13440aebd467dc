using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Cli.Experiment;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Transforms;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary>
/// <c>hechunk encrypt</c> (client): images to a binary IDataView of encrypted chunk groups. The upload carries no
/// label unless <c>--evaluation-upload</c> asks for one; the command says how many images and pixels go out in the clear.
/// </summary>
internal static class EncryptCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Image folder (class folders or flat <Class>_<n> files).", Required = true };
        var keys = new Option<string>("--keys") { Description = "Key folder. With its secret.key the upload is seeded (half the bytes); public.keys alone is enough for public-key encryption.", Required = true };
        var publicKeyOnly = new Option<bool>("--public-key") { Description = "Encrypt with the public key even when the folder holds the secret key (twice the upload)." };
        var passphrase = new Option<string?>("--passphrase-env") { Description = "Environment variable holding the passphrase of a protected secret.key." };
        var output = new Option<string>("--out") { Description = "Binary IDataView to write (column EncryptedChunks; Label too with --evaluation-upload).", Required = true };
        var mode = new Option<EncryptionMode>("--mode") { Description = "AllChunks (default: the server sees no pixel), FeatureChunks (the paper: non-feature chunks go in the clear) or WholeImage.", DefaultValueFactory = _ => EncryptionMode.AllChunks };
        var model = new Option<string?>("--model") { Description = "model.zip of an experiment: its client pipeline and the packing of its chunk CNN (default: the standard pipeline, 28x28 chunks, threshold 100, stride 7, 16 filters)." };
        var limit = new Option<int?>("--limit") { Description = "Encrypt at most N images (N >= 1)." };
        var evaluation = new Option<bool>("--evaluation-upload") { Description = "Put each image's true label into the upload next to its ciphertexts (for measuring accuracy only: the server then sees the labels)." };
        var allowClear = new Option<bool>("--allow-unencrypted-images") { Description = "In FeatureChunks mode, send images whose gate marks no chunk entirely in the clear instead of refusing them." };
        var command = new Command("encrypt", "Client side: run the client pipeline and encrypt each image's chunks (seeded with the secret key when the key folder holds it, else with the public key).")
        {
            data, keys, output, mode, model, limit, evaluation, allowClear, publicKeyOnly, passphrase,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(limit) is int requested && requested < 1)
            {
                throw new CliException($"--limit {requested}: must be at least 1");
            }

            var ml = new MLContext(1);
            // Seeded secret-key encryption halves the upload; the client that made the keys holds the secret key anyway.
            string keyFolder = parse.GetValue(keys)!;
            bool seeded = !parse.GetValue(publicKeyOnly) && File.Exists(CliFiles.SecretKeyPath(keyFolder));
            HeChunkKeys publicKeys = seeded
                ? CliFiles.LoadClientKeys(keyFolder, KeyFolders.Passphrase(parse.GetValue(passphrase)))
                : CliFiles.LoadPublicKeys(keyFolder);
            IReadOnlyList<ImageFolderSample> samples = CliData.Split(parse.GetValue(data)!) is var split ? [.. split.Train, .. split.Test] : [];
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
                client = CliFiles.LoadModel(ml, modelPath, out _, publicKeys);
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

            EncryptionMode chosen = parse.GetValue(mode);
            IDataView chunks = ml.Data.Cache(client.Transform(input));
            ClearReport clear;
            try
            {
                clear = ClearReport.Measure(chunks, samples, chosen, side);
            }
            catch (Exception e) when (e is not CliException and not OutOfMemoryException)
            {
                throw new CliException(FailingImage(ml, client, samples) is string path
                    ? $"image file '{path}': {ErrorMessage.Describe(e)}"
                    : $"preparing the images of '{parse.GetValue(data)}': {ErrorMessage.Describe(e)}");
            }

            if (clear.ImagesWithoutEncryptedChunk > 0 && !parse.GetValue(allowClear))
            {
                throw new CliException(
                    $"{clear.ImagesWithoutEncryptedChunk} of {samples.Count} images (first: '{clear.FirstImageWithoutEncryptedChunk}') have no feature chunk and would go to the server " +
                    "entirely in the clear in FeatureChunks mode; use --mode AllChunks, or pass --allow-unencrypted-images");
            }

            var options = new ChunkEncryptionOptions
            {
                Mode = chosen, Packing = packing, ChunkHeight = side, ChunkWidth = side, DegreeOfParallelism = 2, UseSecretKey = seeded,
                AllowImagesWithoutEncryptedChunk = parse.GetValue(allowClear),
            };
            IDataView encrypted;
            try
            {
                encrypted = ml.Transforms.EncryptChunks("EncryptedChunks", publicKeys, "Chunks", options).Fit(chunks).Transform(chunks);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--model/--mode: {e.Message}");
            }

            string[] columns = parse.GetValue(evaluation) ? ["Label", "EncryptedChunks"] : ["EncryptedChunks"];
            IDataView upload = ml.Transforms.SelectColumns(columns).Fit(encrypted).Transform(encrypted);
            string outPath = parse.GetValue(output)!;
            try
            {
                context.Console.Status().Start($"Encrypting {samples.Count} images ({options.Mode})...", _ => CliFiles.SaveDataFile(ml, upload, outPath));
            }
            catch (Exception e) when (e is not CliException and not OutOfMemoryException)
            {
                // ML.NET reports a failing row without its file: find the image by running the pipeline on each alone.
                throw new CliException(FailingImage(ml, client, samples) is string path
                    ? $"image file '{path}': {ErrorMessage.Describe(e)}"
                    : $"encrypting the images of '{parse.GetValue(data)}': {ErrorMessage.Describe(e)}");
            }

            context.Console.MarkupLineInterpolated($"Wrote {outPath}: {samples.Count} encrypted images ({(seeded ? "seeded secret-key" : "public-key")} encryption), {new FileInfo(outPath).Length:N0} bytes{(parse.GetValue(evaluation) ? ", with their true labels (evaluation upload)" : ", no labels")}");
            context.Console.MarkupLineInterpolated($"In the clear: {clear.Describe(samples.Count)}");
            return HeChunkCli.Success;
        });
        return command;
    }

    private static string? FailingImage(MLContext ml, ITransformer client, IReadOnlyList<ImageFolderSample> samples)
    {
        foreach (ImageFolderSample sample in samples)
        {
            try
            {
                _ = client.Transform(ml.Data.LoadFromEnumerable([sample])).GetColumn<VBuffer<float>>("Chunks").ToList();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return sample.ImagePath;
            }
        }

        return null;
    }

    /// <summary>What of an upload the server sees in the clear, measured from the gate's index before encryption.</summary>
    private sealed record ClearReport(EncryptionMode Mode, int ImagesWithoutEncryptedChunk, string? FirstImageWithoutEncryptedChunk, long ClearPixels, long TotalPixels)
    {
        public static ClearReport Measure(IDataView chunks, IReadOnlyList<ImageFolderSample> samples, EncryptionMode mode, int side)
        {
            int without = 0;
            string? first = null;
            long clearPixels = 0, total = 0;
            int row = 0;
            foreach (VBuffer<int> index in chunks.GetColumn<VBuffer<int>>("ChunkIndex"))
            {
                int[] signs = index.DenseValues().ToArray();
                int plain = mode == EncryptionMode.FeatureChunks ? signs.Count(i => i < 0) : 0;
                total += (long)signs.Length * side * side;
                clearPixels += (long)plain * side * side;
                if (mode == EncryptionMode.FeatureChunks && plain == signs.Length)
                {
                    without++;
                    first ??= samples[row].ImagePath;
                }

                row++;
            }

            return new ClearReport(mode, without, first, clearPixels, total);
        }

        public string Describe(int images) => Mode == EncryptionMode.FeatureChunks
            ? $"{ImagesWithoutEncryptedChunk} of {images} images entirely, {ClearPixels:N0} of {TotalPixels:N0} pixels ({(TotalPixels == 0 ? 0 : (double)ClearPixels / TotalPixels):P1}, the non-feature chunks); the server also sees which chunks are features"
            : $"no pixels of the {images} images ({Mode}); the server sees the image count, sizes and chunk grid";
    }
}
