using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MLNet.HeChunk.Server.Tenants;

/// <summary>
/// Maps a presented credential to its tenant. Only SHA-256 digests of the configured keys are kept, and the lookup
/// compares digests in constant time, so neither the keys nor their length leak through memory dumps or timing.
/// </summary>
public sealed class TenantAuthenticator
{
    private readonly (byte[] Digest, string Tenant)[] _credentials;

    /// <summary>Creates the authenticator from the configured API keys.</summary>
    public TenantAuthenticator(IOptions<HeChunkServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _credentials = options.Value.ApiKeys.Select(kv => (Digest(kv.Key), kv.Value)).ToArray();
    }

    /// <summary>The tenant of <paramref name="credential"/>, or null when it is not a configured key.</summary>
    public string? Authenticate(string? credential)
    {
        if (string.IsNullOrEmpty(credential))
        {
            return null;
        }

        byte[] digest = Digest(credential);
        string? tenant = null;
        foreach (var (known, name) in _credentials)
        {
            if (CryptographicOperations.FixedTimeEquals(known, digest))
            {
                tenant = name;
            }
        }

        return tenant;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
