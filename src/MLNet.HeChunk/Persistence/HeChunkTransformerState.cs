using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace MLNet.HeChunk.Persistence;

/// <summary>
/// The saved state of one fitted transformer: its <see cref="Kind"/> (which restorer rebuilds it), a
/// <see cref="KindVersion"/> for that restorer to check, and any number of named binary blobs (options as JSON,
/// public keys, weights, ...). <see cref="HeChunkModel.Save(MLContext, ITransformer, DataViewSchema, string)"/>
/// writes each blob as its own entry in the model zip.
/// </summary>
public sealed partial class HeChunkTransformerState
{
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    /// <summary>Creates an empty state.</summary>
    /// <param name="kind">Name under which the restorer is registered in <see cref="HeChunkTransformerRegistry"/>.</param>
    /// <param name="kindVersion">Version of this kind's blob layout, checked by its restorer.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not a valid name.</exception>
    public HeChunkTransformerState(string kind, int kindVersion)
    {
        RequireName(kind, nameof(kind));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kindVersion);
        Kind = kind;
        KindVersion = kindVersion;
    }

    /// <summary>Name under which the restorer of this state is registered.</summary>
    public string Kind { get; }

    /// <summary>Version of the kind's blob layout.</summary>
    public int KindVersion { get; }

    /// <summary>Names of the blobs, in the order they were added.</summary>
    public IReadOnlyList<string> BlobNames => [.. _blobs.Keys];

    /// <summary>Adds a blob. Names are letters, digits, '.', '_' and '-' (they become zip entry names).</summary>
    /// <exception cref="ArgumentException">The name is invalid or already used.</exception>
    public HeChunkTransformerState Add(string name, byte[] content)
    {
        RequireName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(content);
        if (!_blobs.TryAdd(name, content))
            throw new ArgumentException($"State of kind '{Kind}' already has a blob named '{name}'.", nameof(name));
        return this;
    }

    /// <summary>Adds a blob holding <paramref name="value"/> as JSON.</summary>
    public HeChunkTransformerState AddJson<T>(string name, T value) => Add(name, JsonSerializer.SerializeToUtf8Bytes(value, JsonOptions));

    /// <summary>Returns the blob named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The state has no such blob (a damaged or foreign model zip).</exception>
    public byte[] Get(string name) =>
        _blobs.TryGetValue(name, out var content)
            ? content
            : throw new InvalidDataException($"Saved state of kind '{Kind}' has no blob named '{name}' (found: {string.Join(", ", _blobs.Keys)}).");

    /// <summary>Reads the blob named <paramref name="name"/> as JSON.</summary>
    /// <exception cref="InvalidDataException">The blob is missing or is not valid JSON for <typeparamref name="T"/>.</exception>
    public T GetJson<T>(string name)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(Get(name), JsonOptions)
                ?? throw new InvalidDataException($"Blob '{name}' of kind '{Kind}' holds JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Blob '{name}' of kind '{Kind}' is not valid {typeof(T).Name} JSON: {e.Message}", e);
        }
    }

    /// <summary>Throws when <see cref="KindVersion"/> is not one of <paramref name="supported"/>.</summary>
    /// <exception cref="InvalidDataException">The version is not supported.</exception>
    public void RequireVersion(params int[] supported)
    {
        if (!supported.Contains(KindVersion))
            throw new InvalidDataException(
                $"Saved state of kind '{Kind}' has version {KindVersion}; this build reads version(s) {string.Join(", ", supported)}.");
    }

    internal static void RequireName(string name, string parameter)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a valid name: use letters, digits, '.', '_' and '-'.", parameter);
    }

    // Enums as names: a saved options.json stays readable and survives reordering of enum members.
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex NamePattern();
}
