namespace MLNet.HeChunk.Server.KeySets;

/// <summary>The shape of a key-set id (16 lowercase hex digits, as <c>HeChunkKeys.KeySetId</c>) and the grain key built from it.</summary>
internal static class KeySetIds
{
    /// <summary>Whether <paramref name="id"/> has the shape of a key-set id.</summary>
    public static bool IsWellFormed(string? id) => id is { Length: 16 } && id.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    /// <summary>Throws <see cref="ArgumentException"/> for an id that is not well formed (never reaches a path or a Redis key).</summary>
    public static void Require(string id)
    {
        if (!IsWellFormed(id))
        {
            throw new ArgumentException("a key-set id is 16 lowercase hex digits");
        }
    }

    /// <summary>The grain key of a tenant's key set: tenant names cannot contain '/'.</summary>
    public static string GrainKey(string tenant, string keySetId) => $"{tenant}/{keySetId}";

    /// <summary>Splits a grain key into tenant and key-set id.</summary>
    public static (string Tenant, string KeySetId) Parse(string grainKey)
    {
        int slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        return (grainKey[..slash], grainKey[(slash + 1)..]);
    }
}
