namespace MLNet.HeChunk.Server;

/// <summary>
/// Settings of one <c>hechunk serve</c> process: the models it serves, the tenants' credentials, where key sets are
/// stored, the cluster it joins, its ports and its limits. Bound from the "HeChunk" configuration section or set in code.
/// </summary>
public sealed class HeChunkServerOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "HeChunk";

    /// <summary>The served models, by name; the first is the default of a request that names none.</summary>
    public List<ServedModelOptions> Models { get; set; } = [];

    /// <summary>
    /// Credentials: each API key (or bearer token) and the tenant it authenticates. Compared through their SHA-256
    /// digests and never logged.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = [];

    /// <summary>Folder of the key-set store in embedded mode (ignored when <see cref="RedisConnectionString"/> is set).</summary>
    public string KeyStorePath { get; set; } = "hechunk-keysets";

    /// <summary>
    /// Redis (StackExchange.Redis connection string): when set, the silo joins the cluster through Orleans' Redis
    /// clustering and key sets are stored in Redis, so that any process of the cluster can answer any request.
    /// </summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>Orleans cluster id (processes with the same id and Redis form one cluster).</summary>
    public string ClusterId { get; set; } = "hechunk";

    /// <summary>Orleans service id.</summary>
    public string ServiceId { get; set; } = "hechunk";

    /// <summary>
    /// Port of the gRPC endpoint (plain HTTP/2 on 127.0.0.1; 0 picks a free port). Ignored when the configuration has
    /// a "Kestrel:Endpoints" section, which then says where and how (TLS) to listen.
    /// </summary>
    public int Port { get; set; } = 5080;

    /// <summary>Orleans silo-to-silo port (0 picks a free port).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans gateway port (0 picks a free port).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Embedded mode only: the silo port of another process's silo on this machine to join (Orleans' localhost
    /// development clustering with a primary silo), so that several processes form one cluster without Redis; they must
    /// share <see cref="KeyStorePath"/>. Null: this silo is the primary (or alone).
    /// </summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>The largest key set accepted by RegisterKeys, in bytes (a chunk-CNN key set is about 48 MB).</summary>
    public long MaxKeySetBytes { get; set; } = 96L << 20;

    /// <summary>The largest single gRPC message accepted, in bytes (an all-chunk group with public-key encryption is about 17.4 MB).</summary>
    public int MaxRequestBytes { get; set; } = 32 << 20;

    /// <summary>Images this process evaluates at once.</summary>
    public int MaxConcurrentImages { get; set; } = Environment.ProcessorCount;

    /// <summary>Images admitted to wait for an evaluation slot; past that, requests are shed with ResourceExhausted.</summary>
    public int MaxQueuedImages { get; set; } = 64;

    /// <summary>Images of one Score call in flight at once (the rest wait in the HTTP/2 flow control).</summary>
    public int PerCallWindow { get; set; } = 8;

    /// <summary>Threads inside one image's evaluation (1 gives the best throughput when several images run at once).</summary>
    public int ScorerThreads { get; set; } = 1;

    /// <summary>How long an unused key-set grain (deserialized keys, encoded model) stays in memory.</summary>
    public TimeSpan KeySetIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first inconsistent setting.</summary>
    public void Validate()
    {
        if (Models.Count == 0)
        {
            throw new ArgumentException("no model to serve: give at least one model (hechunk serve --model FILE)");
        }

        if (Models.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != Models.Count)
        {
            throw new ArgumentException($"two served models share a name ({string.Join(", ", Models.Select(m => m.Name))})");
        }

        if (ApiKeys.Count == 0)
        {
            throw new ArgumentException("no credential configured: every call must carry one (HeChunk:ApiKeys:<key> = <tenant>, or --api-key KEY=TENANT)");
        }

        foreach (var (key, tenant) in ApiKeys)
        {
            if (key.Length < 16)
            {
                throw new ArgumentException($"the API key of tenant '{tenant}' is shorter than 16 characters");
            }

            if (string.IsNullOrWhiteSpace(tenant) || tenant.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            {
                throw new ArgumentException($"tenant name '{tenant}' must be letters, digits, '-', '_' or '.'");
            }
        }

        if (MaxKeySetBytes < 1 || MaxRequestBytes < 1 || MaxConcurrentImages < 1 || MaxQueuedImages < 0 || PerCallWindow < 1 || ScorerThreads < 1)
        {
            throw new ArgumentException("limits must be positive (MaxQueuedImages may be 0)");
        }
    }
}
