using System.IO.Compression;
using System.Text.Json;

namespace MLNet.HeChunk.Persistence;

/// <summary>
/// Layout of the suite's entries inside an ML.NET model zip. ML.NET ignores entries it does not know, so they
/// can sit next to its own.
/// </summary>
/// <remarks>
/// <code>
/// MLNet.HeChunk/manifest.json     { "Format": "MLNet.HeChunk.ModelState", "FormatVersion": 1,
///                                   "Instances": [ { "Path": [2], "Kind": "ChunkSplitter", "KindVersion": 1,
///                                                    "Blobs": [ { "Name": "options.json", "Length": 183 } ] } ] }
/// MLNet.HeChunk/000/options.json  blob "options.json" of instance 0
/// MLNet.HeChunk/001/...           blobs of instance 1, ...
/// </code>
/// Path is the position of the transformer in the (possibly nested) transformer chain: one index per level,
/// empty when the saved model is the transformer itself. The manifest is read and checked (format, version,
/// entry lengths) before any blob is used.
/// </remarks>
internal static class HeChunkStateArchive
{
    public const string Folder = "MLNet.HeChunk/";
    public const string ManifestEntry = Folder + "manifest.json";
    public const string FormatName = "MLNet.HeChunk.ModelState";
    public const int FormatVersion = 1;

    public sealed record SavedInstance(int[] Path, HeChunkTransformerState State);

    public static void Write(ZipArchive zip, IReadOnlyList<SavedInstance> instances)
    {
        if (zip.Entries.Any(e => e.FullName.StartsWith(Folder, StringComparison.Ordinal)))
            throw new InvalidOperationException($"The model zip already holds '{Folder}' entries.");

        var manifest = new Manifest(FormatName, FormatVersion, []);
        for (int i = 0; i < instances.Count; i++)
        {
            var state = instances[i].State;
            var blobs = new List<BlobInfo>();
            foreach (var name in state.BlobNames)
            {
                var content = state.Get(name);
                using (var stream = zip.CreateEntry(BlobEntry(i, name), CompressionLevel.Optimal).Open())
                    stream.Write(content);
                blobs.Add(new BlobInfo(name, content.Length));
            }
            manifest.Instances.Add(new InstanceInfo(instances[i].Path, state.Kind, state.KindVersion, blobs));
        }
        using var manifestStream = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open();
        JsonSerializer.Serialize(manifestStream, manifest, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Reads the saved instances, or returns null when the zip has no manifest at all.</summary>
    /// <exception cref="InvalidDataException">The manifest or a blob is damaged or of an unknown format.</exception>
    public static IReadOnlyList<SavedInstance>? Read(ZipArchive zip)
    {
        var manifestEntry = zip.GetEntry(ManifestEntry);
        if (manifestEntry is null)
            return null;

        Manifest manifest;
        try
        {
            using var stream = manifestEntry.Open();
            manifest = JsonSerializer.Deserialize<Manifest>(stream)
                ?? throw new InvalidDataException($"'{ManifestEntry}' holds JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{ManifestEntry}' is not a valid manifest: {e.Message}", e);
        }
        if (manifest.Format != FormatName || manifest.FormatVersion != FormatVersion)
            throw new InvalidDataException(
                $"'{ManifestEntry}' is format '{manifest.Format}' version {manifest.FormatVersion}; expected '{FormatName}' version {FormatVersion}.");

        var result = new List<SavedInstance>();
        for (int i = 0; i < manifest.Instances.Count; i++)
        {
            var info = manifest.Instances[i];
            if (info.Path is null || info.Kind is null || info.Blobs is null)
                throw new InvalidDataException($"'{ManifestEntry}': instance {i} lacks its path, kind or blob list.");
            var state = new HeChunkTransformerState(info.Kind, info.KindVersion);
            foreach (var blob in info.Blobs)
            {
                var entry = zip.GetEntry(BlobEntry(i, blob.Name))
                    ?? throw new InvalidDataException($"The model zip lacks '{BlobEntry(i, blob.Name)}', listed in its manifest.");
                if (entry.Length != blob.Length)
                    throw new InvalidDataException($"'{entry.FullName}' holds {entry.Length} bytes; the manifest says {blob.Length}.");
                var content = new byte[blob.Length];
                using (var stream = entry.Open())
                    stream.ReadExactly(content);
                state.Add(blob.Name, content);
            }
            result.Add(new SavedInstance(info.Path, state));
        }
        return result;
    }

    private static string BlobEntry(int instance, string blob) => $"{Folder}{instance:D3}/{blob}";

    private sealed record Manifest(string Format, int FormatVersion, List<InstanceInfo> Instances);

    private sealed record InstanceInfo(int[] Path, string Kind, int KindVersion, List<BlobInfo> Blobs);

    private sealed record BlobInfo(string Name, long Length);
}
