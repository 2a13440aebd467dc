using MLNet.HeChunk.Server;

namespace MLNet.HeChunk.Cli.Service;

/// <summary>Turns <c>hechunk serve</c>'s arguments into server options; secrets come from arguments or the environment.</summary>
internal static class ServerSettings
{
    /// <summary>Environment variable with the credentials, <c>KEY=TENANT</c> pairs separated by ';' (keeps keys out of the process list).</summary>
    public const string ApiKeysVariable = "HECHUNK_API_KEYS";

    /// <summary>Environment variable with the client's API key for <c>score --server</c> and <c>loadtest</c>.</summary>
    public const string ApiKeyVariable = "HECHUNK_API_KEY";

    /// <summary>Parses <c>NAME=FILE</c> or <c>FILE</c> (named after the file) model arguments.</summary>
    public static List<ServedModelOptions> Models(IEnumerable<string> models, string[]? classNames)
    {
        var result = new List<ServedModelOptions>();
        foreach (string model in models)
        {
            int eq = model.IndexOf('=', StringComparison.Ordinal);
            string name = eq > 0 ? model[..eq] : Path.GetFileNameWithoutExtension(model);
            string path = eq > 0 ? model[(eq + 1)..] : model;
            if (!File.Exists(path))
            {
                throw new CliException($"model file '{path}' does not exist");
            }

            result.Add(new ServedModelOptions { Name = name, Path = path, ClassNames = classNames });
        }

        return result;
    }

    /// <summary>Credentials from <c>--api-key KEY=TENANT</c> arguments and <see cref="ApiKeysVariable"/>.</summary>
    public static Dictionary<string, string> ApiKeys(IEnumerable<string> arguments)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        string fromEnvironment = Environment.GetEnvironmentVariable(ApiKeysVariable) ?? "";
        foreach (string pair in arguments.Concat(fromEnvironment.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            int eq = pair.LastIndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
            {
                // Never echo the pair: it holds a secret.
                throw new CliException($"an API key must be given as KEY=TENANT (one of the {keys.Count + 1} given is not)");
            }

            keys[pair[..eq]] = pair[(eq + 1)..];
        }

        if (keys.Count == 0)
        {
            throw new CliException($"no credential: give --api-key KEY=TENANT or set {ApiKeysVariable}=KEY=TENANT;KEY2=TENANT2");
        }

        return keys;
    }

    /// <summary>The client's API key: the argument, else <see cref="ApiKeyVariable"/>.</summary>
    public static string ClientKey(string? argument) =>
        argument ?? Environment.GetEnvironmentVariable(ApiKeyVariable)
        ?? throw new CliException($"no API key: give --api-key or set {ApiKeyVariable}");
}
