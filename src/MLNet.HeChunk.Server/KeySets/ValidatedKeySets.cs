using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace MLNet.HeChunk.Server.KeySets;

/// <summary>
/// Remembers which exact key-set bytes (by SHA-256) were already validated for which model, so that an idempotent
/// re-registration does not deserialize 48 MB of keys again. Bounded: forgets everything past a few thousand entries.
/// </summary>
public sealed class ValidatedKeySets
{
    private const int Capacity = 4096;
    private readonly ConcurrentDictionary<(string Digest, string Model), string> _validated = new();

    /// <summary>The SHA-256 of <paramref name="bytes"/> as hex (the cache key).</summary>
    public static string DigestOf(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    /// <summary>The key-set id of bytes with this digest, when already validated for <paramref name="model"/>.</summary>
    public string? Find(string digest, string model) => _validated.TryGetValue((digest, model), out string? id) ? id : null;

    /// <summary>Records a successful validation.</summary>
    public void Add(string digest, string model, string keySetId)
    {
        if (_validated.Count >= Capacity)
        {
            _validated.Clear();
        }

        _validated[(digest, model)] = keySetId;
    }
}
