using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.IO;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary>
/// Where key material goes on disk, so that the secret key never sits next to what a server receives. A key folder
/// holds <c>public.keys</c>, <c>secret.key</c> (0600, never replaced without <c>--force</c>) and <c>classes.txt</c>
/// (the model's class names, which travel with the keys instead of being guessed from data). The experiment's split
/// layout is <c>client/</c> (all three) and <c>server/</c> (public keys and class names only, never the secret key).
/// </summary>
internal static class KeyFolders
{
    /// <summary>The client's folder in a split layout.</summary>
    public const string ClientFolder = "client";

    /// <summary>The server's folder in a split layout.</summary>
    public const string ServerFolder = "server";

    /// <summary>Name of the environment variable read by default for a secret key's passphrase.</summary>
    public const string DefaultPassphraseVariable = "HECHUNK_PASSPHRASE";

    /// <summary>Throws a one-line error when <paramref name="folder"/> already holds key files and <paramref name="force"/> is not set.</summary>
    public static void RequireNoKeys(string folder, bool force)
    {
        foreach (string path in new[] { CliFiles.SecretKeyPath(folder), CliFiles.PublicKeysPath(folder) })
        {
            if (File.Exists(path) && !force)
            {
                throw new CliException($"'{path}' already exists; refusing to overwrite a key set (pass --force to replace it: everything encrypted under the old keys becomes unreadable)");
            }
        }
    }

    /// <summary>Writes a key folder: public keys, the secret key (0600) and, when given, the class names.</summary>
    public static void Write(HeChunkKeys keys, string folder, IReadOnlyList<string>? classNames, string? passphrase, bool force)
    {
        ArgumentNullException.ThrowIfNull(keys);
        RequireNoKeys(folder, force);
        Directory.CreateDirectory(folder);
        keys.ExportSecretKey(CliFiles.SecretKeyPath(folder), passphrase, overwrite: force);
        keys.SavePublic(CliFiles.PublicKeysPath(folder));
        if (classNames is not null)
        {
            WriteClassNames(folder, classNames);
        }
    }

    /// <summary>
    /// Writes the split layout the experiment should use: <c>client/</c> gets the full key folder, <c>server/</c> only
    /// the public keys and the class names. Returns both folders.
    /// </summary>
    public static (string Client, string Server) WriteSplit(HeChunkKeys keys, string outFolder, IReadOnlyList<string>? classNames, string? passphrase, bool force)
    {
        string client = Path.Combine(outFolder, ClientFolder), server = Path.Combine(outFolder, ServerFolder);
        Write(keys, client, classNames, passphrase, force);
        Directory.CreateDirectory(server);
        keys.SavePublic(CliFiles.PublicKeysPath(server));
        if (classNames is not null)
        {
            WriteClassNames(server, classNames);
        }

        return (client, server);
    }

    /// <summary>Writes <c>classes.txt</c> (one name per line, in model order) through a temporary file.</summary>
    public static void WriteClassNames(string folder, IReadOnlyList<string> classNames)
    {
        if (classNames.Count < 2 || classNames.Any(c => string.IsNullOrWhiteSpace(c) || c.Contains('\n', StringComparison.Ordinal) || c.Contains(',', StringComparison.Ordinal))
            || classNames.Distinct(StringComparer.Ordinal).Count() != classNames.Count)
        {
            throw new CliException($"class names [{string.Join(", ", classNames)}]: need at least two distinct, non-empty names without commas");
        }

        SafeFile.WriteAllBytes(ClassNamesPath(folder), System.Text.Encoding.UTF8.GetBytes(string.Join('\n', classNames) + "\n"));
    }

    /// <summary>The class-name file of a key folder.</summary>
    public static string ClassNamesPath(string folder) => Path.Combine(folder, Experiment.ExperimentRunner.ClassesFile);

    /// <summary>The passphrase held by environment variable <paramref name="variable"/>, or null when no variable is named.</summary>
    public static string? Passphrase(string? variable)
    {
        if (variable is null)
        {
            return null;
        }

        string? value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(value)
            ? throw new CliException($"--passphrase-env {variable}: the environment variable is not set or empty")
            : value;
    }
}
