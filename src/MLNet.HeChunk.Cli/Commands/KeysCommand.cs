using System.CommandLine;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cli.Experiment;
using MLNet.HeChunk.Encryption;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary><c>hechunk keys</c>: a fresh CKKS key set, public part and secret key in separate files.</summary>
internal static class KeysCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "Folder for public.keys (give to the server) and secret.key (keep).", Required = true };
        var chunk = new Option<string>("--chunk") { Description = "Chunk size the keys' rotations are made for.", DefaultValueFactory = _ => "28x28" };
        var stride = new Option<int>("--stride") { Description = "Convolution stride of the chunk CNN.", DefaultValueFactory = _ => 7 };
        var channels = new Option<int>("--channels") { Description = "Convolution filters of the chunk CNN.", DefaultValueFactory = _ => 16 };
        var command = new Command("keys", "Generate a 128-bit CKKS key set (N = 8192) for the chunk CNN; the public part and the secret key go to separate files.")
        {
            output, chunk, stride, channels,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(output)!;
            int side = ClientPipeline.ParseChunkSide(parse.GetValue(chunk)!);
            var packing = new ChunkPacking(7, parse.GetValue(stride), parse.GetValue(channels));
            try
            {
                packing.Validate(side);
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }

            Directory.CreateDirectory(folder);
            HeChunkKeys keys = context.Console.Status().Start("Generating keys...", _ =>
                HeChunkKeys.GenerateForChunkCnn(CkksParameters.Create(CkksPresets.N8192ChunkCnn), packing, side, degreeOfParallelism: 2));
            keys.SavePublic(CliFiles.PublicKeysPath(folder));
            keys.ExportSecretKey(CliFiles.SecretKeyPath(folder));
            context.Console.MarkupLineInterpolated($"Key set {keys.KeySetId}: {CliFiles.PublicKeysPath(folder)} (public), {CliFiles.SecretKeyPath(folder)} (secret: keep it on the client)");
            return HeChunkCli.Success;
        });
        return command;
    }
}
