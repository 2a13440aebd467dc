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
        var output = new Option<string>("--out") { Description = "Folder for public.keys (give to the server), secret.key (keep; written 0600) and classes.txt.", Required = true };
        var chunk = new Option<string>("--chunk") { Description = "Chunk size the keys' rotations are made for.", DefaultValueFactory = _ => "28x28" };
        var stride = new Option<int>("--stride") { Description = "Convolution stride of the chunk CNN.", DefaultValueFactory = _ => 7 };
        var channels = new Option<int>("--channels") { Description = "Convolution filters of the chunk CNN.", DefaultValueFactory = _ => 16 };
        var classes = new Option<string?>("--classes") { Description = "The model's class names in model order, comma-separated; written to classes.txt so they travel with the keys." };
        var force = new Option<bool>("--force") { Description = "Replace an existing key set in the folder (everything encrypted under it becomes unreadable)." };
        var passphrase = new Option<string?>("--passphrase-env") { Description = $"Protect secret.key with the passphrase held in this environment variable (AES-256-GCM, PBKDF2-SHA256 600,000 iterations), e.g. {KeyFolders.DefaultPassphraseVariable}." };
        var command = new Command("keys", "Generate a 128-bit CKKS key set (N = 8192) for the chunk CNN; the public part and the secret key go to separate files.")
        {
            output, chunk, stride, channels, classes, force, passphrase,
        };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(output)!;
            int side = ClientPipeline.ParseChunkSide(parse.GetValue(chunk)!);
            var packing = new ChunkPacking(7, parse.GetValue(stride), parse.GetValue(channels));
            CkksParameters parameters = CkksParameters.Create(CkksPresets.N8192ChunkCnn);
            try
            {
                // Checked against the ring before any key is allocated: --channels 1000000 fails here at once.
                packing.Validate(side, parameters.SlotCount);
            }
            catch (ArgumentException e)
            {
                throw new CliException($"--stride {packing.Stride} --channels {packing.Channels}: {e.Message}");
            }

            string[]? classNames = parse.GetValue(classes)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            bool replace = parse.GetValue(force);
            KeyFolders.RequireNoKeys(folder, replace);
            string? secret = KeyFolders.Passphrase(parse.GetValue(passphrase));
            HeChunkKeys keys = context.Console.Status().Start("Generating keys...", _ =>
                HeChunkKeys.GenerateForChunkCnn(parameters, packing, side, degreeOfParallelism: 2));
            KeyFolders.Write(keys, folder, classNames, secret, replace);
            context.Console.MarkupLineInterpolated(
                $"Key set {keys.KeySetId}: {CliFiles.PublicKeysPath(folder)} (public), {CliFiles.SecretKeyPath(folder)} (secret, owner-only{(secret is null ? "" : ", passphrase-protected")}: keep it on the client)");
            return HeChunkCli.Success;
        });
        return command;
    }
}
