using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MLNet.HeChunk.Persistence;

/// <summary>
/// Layout of the suite's entries inside an ML.NET model zip. ML.NET ignores entries it does not know, so they
/// can sit next to its own.
/// </summary>
/// <remarks>
/// <code>
/// MLNet.HeChunk/manifest.json     { "Format": "MLNet.HeChunk.ModelState", "FormatVersion": 2, "Digest": "9f2c...",
///                                   "Instances": [ { "Path": [2], "Kind": "ChunkSplitter", "KindVersion": 1,
///                                                    "Blobs": [ { "Name": "options.json", "Length": 183 } ] } ] }
/// MLNet.HeChunk/000/options.json  blob "options.json" of instance 0
/// MLNet.HeChunk/001/...           blobs of instance 1, ...
/// </code>
/// Path is the position of the transformer in the (possibly nested) transformer chain: one index per level,
/// empty when the saved model is the transformer itself. The manifest is read and checked (format, version,
/// entry lengths) before any blob is used.
/// <para>Digest (version 2): SHA-256, in hex, over every other entry of the zip (ML.NET's own entries included: the
/// transformer chain, weights, class names, packing, keys and parameters alike) in ordinal order of their names, each
/// as UTF-8 name, a zero byte, its length as u64 little-endian and its bytes. It is checked before ML.NET or any
/// restorer reads anything, so a flipped bit anywhere is refused; it is integrity, not authenticity. Every declared
/// entry size is checked against <see cref="MaxEntryBytes"/> and against what its compressed size can expand to before
/// anything is allocated. Version 1 zips (no digest) are refused with a message saying so.</para>
/// </remarks>
internal static class HeChunkStateArchive
{
    public const string Folder = "MLNet.HeChunk/";
    public const string ManifestEntry = Folder + "manifest.json";
    public const string FormatName = "MLNet.HeChunk.ModelState";
    public const int FormatVersion = 2;

    /// <summary>The largest entry read (a chunk CNN's weights and keys are tens of MB; 1 GiB leaves room).</summary>
    public const long MaxEntryBytes = 1L << 30;

    /// <summary>Deflate expands at most about 1032:1; a declared size beyond this ratio is a forged size field.</summary>
    private const long MaxExpansion = 1100;

    public sealed record SavedInstance(int[] Path, HeChunkTransformerState State);

    /// <summary>Adds the state entries and the manifest (with its digest) to the model zip held in <paramref name="buffer"/>.</summary>
    public static void Write(MemoryStream buffer, IReadOnlyList<SavedInstance> instances)
    {
        var manifest = new Manifest(FormatName, FormatVersion, "", []);
        buffer.Position = 0;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            if (zip.Entries.Any(e => e.FullName.StartsWith(Folder, StringComparison.Ordinal)))
                throw new InvalidOperationException($"The model zip already holds '{Folder}' entries.");
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
        }

        // Entry sizes can be read back only in read mode: digest the finished zip, then add the manifest.
        buffer.Position = 0;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true))
            manifest = manifest with { Digest = Digest(zip) };
        buffer.Position = 0;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        using (var manifestStream = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open())
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
            manifest = JsonSerializer.Deserialize<Manifest>(ReadEntry(manifestEntry))
                ?? throw new InvalidDataException($"'{ManifestEntry}' holds JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{ManifestEntry}' is not a valid manifest: {e.Message}", e);
        }
        if (manifest.Format == FormatName && manifest.FormatVersion == 1)
            throw new InvalidDataException(
                $"'{ManifestEntry}' is format version 1, which carries no integrity digest and is no longer read; save the model again with this version.");
        if (manifest.Format != FormatName || manifest.FormatVersion != FormatVersion)
            throw new InvalidDataException(
                $"'{ManifestEntry}' is format '{manifest.Format}' version {manifest.FormatVersion}; expected '{FormatName}' version {FormatVersion}.");
        if (manifest.Instances is null || manifest.Digest is null)
            throw new InvalidDataException($"'{ManifestEntry}' lacks its instance list or its digest.");

        // Entries the manifest lists are checked to exist first, so a missing one is named rather than reported as a digest mismatch.
        for (int i = 0; i < manifest.Instances.Count; i++)
        {
            var info = manifest.Instances[i];
            if (info?.Path is null || info.Kind is null || info.Blobs is null)
                throw new InvalidDataException($"'{ManifestEntry}': instance {i} lacks its path, kind or blob list.");
            foreach (var blob in info.Blobs)
            {
                if (blob?.Name is null)
                    throw new InvalidDataException($"'{ManifestEntry}': instance {i} lists a blob without a name.");
                var entry = zip.GetEntry(BlobEntry(i, blob.Name))
                    ?? throw new InvalidDataException($"The model zip lacks '{BlobEntry(i, blob.Name)}', listed in its manifest.");
                if (entry.Length != blob.Length)
                    throw new InvalidDataException($"'{entry.FullName}' holds {entry.Length} bytes; the manifest says {blob.Length}.");
            }
        }

        string digest = Digest(zip);
        if (!string.Equals(digest, manifest.Digest, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"The model zip's integrity digest does not match (manifest {manifest.Digest}, content {digest}): an entry was corrupted or tampered with.");

        var result = new List<SavedInstance>();
        for (int i = 0; i < manifest.Instances.Count; i++)
        {
            var info = manifest.Instances[i];
            HeChunkTransformerState state;
            try
            {
                state = new HeChunkTransformerState(info.Kind, info.KindVersion);
                foreach (var blob in info.Blobs)
                    state.Add(blob.Name, ReadEntry(zip.GetEntry(BlobEntry(i, blob.Name))!));
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"'{ManifestEntry}': instance {i}: {e.Message}", e);
            }
            result.Add(new SavedInstance(info.Path, state));
        }
        return result;
    }

    /// <summary>Reads one entry, its declared size checked against the limits before anything is allocated.</summary>
    /// <exception cref="InvalidDataException">The declared size is forged or the data does not match it.</exception>
    public static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        long declared = entry.Length;
        if (declared < 0 || declared > MaxEntryBytes || declared > entry.CompressedLength * MaxExpansion + 1024)
            throw new InvalidDataException(
                $"'{entry.FullName}' declares {declared} bytes from {entry.CompressedLength} compressed bytes: a forged size field (limit {MaxEntryBytes}, at most {MaxExpansion}:1 expansion).");
        var content = new byte[declared];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(content);
            if (stream.ReadByte() != -1)
                throw new InvalidDataException($"'{entry.FullName}' holds more than the {declared} bytes it declares.");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{entry.FullName}' is shorter than the {declared} bytes it declares.", e);
        }
        return content;
    }

    /// <summary>The digest over every entry but the manifest (see the remarks).</summary>
    private static string Digest(ZipArchive zip)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var entry in zip.Entries.Where(e => e.FullName != ManifestEntry).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(entry.FullName));
            hash.AppendData([0]);
            byte[] content = ReadEntry(entry);
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)content.Length);
            hash.AppendData(length);
            hash.AppendData(content);
        }
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static string BlobEntry(int instance, string blob) => $"{Folder}{instance:D3}/{blob}";

    private sealed record Manifest(string Format, int FormatVersion, string Digest, List<InstanceInfo> Instances);

    private sealed record InstanceInfo(int[] Path, string Kind, int KindVersion, List<BlobInfo> Blobs);

    private sealed record BlobInfo(string Name, long Length);
}
