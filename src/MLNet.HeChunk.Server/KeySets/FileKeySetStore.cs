using System.Security.Cryptography;
using System.Text;

namespace MLNet.HeChunk.Server.KeySets;

/// <summary>
/// Key sets as files under one folder (the embedded default): <c>ROOT/TENANT-DIGEST/KEYSETID.keys</c>, written to a
/// temporary file and renamed, so a crash never leaves half a key set under its final name.
/// </summary>
public sealed class FileKeySetStore : IKeySetStore
{
    private readonly string _root;

    /// <summary>Creates the store (the folder is created when missing).</summary>
    public FileKeySetStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    /// <inheritdoc/>
    public async Task<byte[]?> GetAsync(string tenant, string keySetId, CancellationToken cancellationToken = default)
    {
        string path = PathOf(tenant, keySetId);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <inheritdoc/>
    public async Task<KeySetPut> PutAsync(string tenant, string keySetId, byte[] keySet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        string path = PathOf(tenant, keySetId);
        if (File.Exists(path))
        {
            byte[] existing = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return existing.AsSpan().SequenceEqual(keySet) ? KeySetPut.AlreadyPresent : KeySetPut.Conflict;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, keySet, cancellationToken).ConfigureAwait(false);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return KeySetPut.Stored;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another registration of the same id won the race; compare with what it stored.
            File.Delete(temporary);
            return await PutAsync(tenant, keySetId, keySet, cancellationToken).ConfigureAwait(false);
        }
    }

    private string PathOf(string tenant, string keySetId)
    {
        KeySetIds.Require(keySetId);
        string folder = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(tenant)), 0, 16).ToLowerInvariant();
        return Path.Combine(_root, folder, keySetId + ".keys");
    }
}
