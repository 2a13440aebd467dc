namespace MLNet.HeChunk.Server.KeySets;

/// <summary>What <see cref="IKeySetStore.PutAsync"/> did.</summary>
public enum KeySetPut
{
    /// <summary>The key set was new and is now stored.</summary>
    Stored,

    /// <summary>Exactly these bytes were already stored (registration is idempotent).</summary>
    AlreadyPresent,

    /// <summary>Different bytes are stored under the same id (same public key, other evaluation keys); nothing changed.</summary>
    Conflict,
}
