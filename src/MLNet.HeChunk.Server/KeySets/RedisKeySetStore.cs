using StackExchange.Redis;

namespace MLNet.HeChunk.Server.KeySets;

/// <summary>
/// Key sets in Redis (cluster mode), one string value per key set under <c>hechunk:keyset:TENANT:ID</c>, written with
/// SET NX so that concurrent registrations of the same id through different processes agree.
/// </summary>
public sealed class RedisKeySetStore : IKeySetStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;

    /// <summary>Creates the store over a connection.</summary>
    public RedisKeySetStore(IConnectionMultiplexer redis, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _prefix = $"hechunk:{serviceId}:keyset:";
    }

    /// <inheritdoc/>
    public async Task<byte[]?> GetAsync(string tenant, string keySetId, CancellationToken cancellationToken = default)
    {
        RedisValue value = await _redis.GetDatabase().StringGetAsync(Key(tenant, keySetId)).ConfigureAwait(false);
        return value.IsNull ? null : (byte[])value!;
    }

    /// <inheritdoc/>
    public async Task<KeySetPut> PutAsync(string tenant, string keySetId, byte[] keySet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keySet);
        IDatabase db = _redis.GetDatabase();
        RedisKey key = Key(tenant, keySetId);
        if (await db.StringSetAsync(key, keySet, when: When.NotExists).ConfigureAwait(false))
        {
            return KeySetPut.Stored;
        }

        byte[]? existing = await db.StringGetAsync(key).ConfigureAwait(false);
        return existing is not null && existing.AsSpan().SequenceEqual(keySet) ? KeySetPut.AlreadyPresent : KeySetPut.Conflict;
    }

    private RedisKey Key(string tenant, string keySetId)
    {
        KeySetIds.Require(keySetId);
        return _prefix + tenant + ":" + keySetId;
    }
}
