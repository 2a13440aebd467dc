using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Client;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;
using MLNet.HeChunk.Server;
using MLNet.HeChunk.Server.Hosting;

namespace MLNet.HeChunk.Cli.Service;

/// <summary>
/// The load runs of <c>hechunk loadtest</c>: the same encrypted images scored by the library's encrypted scorer in this
/// process (the baseline) and through the service (an embedded server started in this process on loopback ports, or a
/// given loopback server), each by <c>clients</c> concurrent workers, bounded in count and time.
/// </summary>
internal sealed class LoadTest(ChunkCnnWeights weights, HeChunkKeys keys, int clients, int imagesPerClient, int imagesPerCall, TimeSpan limit)
{
    /// <summary>
    /// Managed memory the service held more after registering and activating the key set (deserialized keys, the
    /// scorer's encoded model); meaningful for an embedded server, whose heap is this process's.
    /// </summary>
    public double KeySetMegabytes { get; private set; }

    /// <summary>Encrypts <paramref name="count"/> random images (all chunks) to reuse across the runs.</summary>
    public byte[][] EncryptPool(int count, int seed)
    {
        var grid = new ChunkGrid(weights.ImageHeight, weights.ImageWidth, weights.ChunkSize, weights.ChunkSize);
        var encryptor = new ChunkGroupEncryptor(keys, new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels), EncryptionMode.AllChunks,
            useSecretKey: keys.HasSecretKey, degreeOfParallelism: 2);
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var image = new float[grid.ImageLength];
            for (int i = 0; i < image.Length; i++)
            {
                image[i] = random.Next(256);
            }

            var chunks = new float[grid.VectorLength];
            grid.Split(image, chunks);
            return encryptor.Encrypt(grid, chunks, Enumerable.Range(1, grid.ChunkCount).ToArray()).ToBytes();
        }).ToArray();
    }

    /// <summary>The baseline: the library's scorer on this process's cores, one image per worker at a time.</summary>
    public LoadTestReport InProcess(byte[][] pool)
    {
        var scorer = new EncryptedChunkCnn(weights, keys.PublicOnly());
        HeChunkKeys publicKeys = keys.PublicOnly();
        scorer.Score(EncryptedChunkGroup.FromBytes(pool[0], publicKeys)); // warm-up: encodings and JIT
        int errors = 0;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        using var stop = new CancellationTokenSource(limit);
        var clock = Stopwatch.StartNew();
        int done = 0;
        Parallel.For(0, clients, new ParallelOptions { MaxDegreeOfParallelism = clients }, worker =>
        {
            for (int i = 0; i < imagesPerClient && !stop.IsCancellationRequested; i++)
            {
                var one = Stopwatch.StartNew();
                try
                {
                    scorer.Score(EncryptedChunkGroup.FromBytes(pool[(worker + i) % pool.Length], publicKeys));
                    Interlocked.Increment(ref done);
                    latencies.Add(one.Elapsed.TotalMilliseconds);
                }
                catch (InvalidDataException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        });
        return new LoadTestReport("in-process", done, errors, clock.Elapsed.TotalSeconds, [.. latencies]);
    }

    /// <summary>The service: <c>clients</c> concurrent clients, each with its own connection, sending its images in calls.</summary>
    public async Task<LoadTestReport> ThroughServiceAsync(Uri endpoint, string apiKey, string modelName, byte[][] pool)
    {
        var options = new RemoteScoringOptions { Endpoint = endpoint, Credential = apiKey, ModelName = modelName, MaxRetries = 6 };
        string keySetId;
        long before = GC.GetTotalMemory(forceFullCollection: true);
        using (var registrar = new HeChunkServiceClient(options))
        {
            keySetId = (await registrar.RegisterKeysAsync(keys)).KeySetId;
            await registrar.ScoreAsync(keySetId, [pool[0]]); // warm-up: activation, encodings, JIT
        }

        KeySetMegabytes = (GC.GetTotalMemory(forceFullCollection: true) - before) / (double)(1 << 20);

        using var stop = new CancellationTokenSource(limit);
        var tally = new Tally();
        var clock = Stopwatch.StartNew();
        await RunClientsAsync(_ => options, keySetId, pool, tally, stop.Token, onError: null);
        return new LoadTestReport("service", tally.Done, tally.Errors, clock.Elapsed.TotalSeconds, [.. tally.Latencies]);
    }

    /// <summary>What the concurrent clients did, added up across threads.</summary>
    private sealed class Tally
    {
        public int Done;
        public int Errors;
        public int Retries;

        public System.Collections.Concurrent.ConcurrentBag<double> Latencies { get; } = [];
    }

    /// <summary>
    /// The load itself: <c>clients</c> concurrent clients, client c with its own connection made from <paramref name="optionsOf"/>(c),
    /// each sending its <c>imagesPerClient</c> images of <paramref name="pool"/> in calls of <c>imagesPerCall</c>; a failed call
    /// counts its images as errors and goes on.
    /// </summary>
    private Task RunClientsAsync(Func<int, RemoteScoringOptions> optionsOf, string keySetId, byte[][] pool, Tally tally, CancellationToken stop,
        Action<int, Exception>? onError) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            using var client = new HeChunkServiceClient(optionsOf(c));
            for (int i = 0; i < imagesPerClient && !stop.IsCancellationRequested; i += imagesPerCall)
            {
                byte[][] batch = Enumerable.Range(i, Math.Min(imagesPerCall, imagesPerClient - i)).Select(k => pool[(c + k) % pool.Length]).ToArray();
                var one = Stopwatch.StartNew();
                try
                {
                    await client.ScoreAsync(keySetId, batch, stop);
                    Interlocked.Add(ref tally.Done, batch.Length);
                    tally.Latencies.Add(one.Elapsed.TotalMilliseconds);
                }
                catch (Exception e) when (e is Grpc.Core.RpcException or OperationCanceledException)
                {
                    Interlocked.Add(ref tally.Errors, batch.Length);
                    onError?.Invoke(c, e);
                }
            }

            Interlocked.Add(ref tally.Retries, client.Retries);
        })));

    /// <summary>
    /// Three embedded servers in this process form one cluster (localhost clustering, the first silo primary, one shared
    /// key-set folder); client i is tenant i and talks to server i mod 2; the third server is stopped abruptly (a
    /// cancelled stop: no graceful hand-over) once a third of the images are answered. Its key-set grains re-activate on
    /// the two others from the folder; clients retry what failed.
    /// </summary>
    public async Task<LoadTestReport> ThroughClusterKillingOneAsync(byte[][] pool, Action<string> log)
    {
        string keyStore = Directory.CreateTempSubdirectory("hechunk-loadtest-cluster").FullName;
        string[] apiKeys = Enumerable.Range(0, clients).Select(_ => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))).ToArray();
        int primarySilo = FreePort();
        var servers = new List<(Microsoft.AspNetCore.Builder.WebApplication App, Uri Endpoint)>();
        try
        {
            for (int s = 0; s < 3; s++)
            {
                var options = new HeChunkServerOptions
                {
                    Models = [new ServedModelOptions { Name = "chunk-cnn", Weights = weights }],
                    ApiKeys = apiKeys.Select((key, i) => (key, i)).ToDictionary(p => p.key, p => $"t{p.i}"),
                    KeyStorePath = keyStore,
                    Port = FreePort(),
                    SiloPort = s == 0 ? primarySilo : FreePort(),
                    GatewayPort = FreePort(),
                    PrimarySiloPort = s == 0 ? null : primarySilo,
                    ClusterId = "loadtest",
                    MaxConcurrentImages = Environment.ProcessorCount,
                    MaxQueuedImages = 256,
                };
                var app = HeChunkServer.Build(options, minimumLogLevel: Microsoft.Extensions.Logging.LogLevel.Error);
                await app.StartAsync();
                servers.Add((app, new Uri($"http://127.0.0.1:{options.Port}")));
            }

            RemoteScoringOptions Options(int client) => new()
            {
                Endpoint = servers[client % 2].Endpoint, Credential = apiKeys[client], ModelName = "chunk-cnn", MaxRetries = 12,
                RetryDelay = TimeSpan.FromMilliseconds(250),
            };
            string keySetId = keys.KeySetId;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
            {
                using var client = new HeChunkServiceClient(Options(c));
                await client.RegisterKeysAsync(keys);
                await client.ScoreAsync(keySetId, [pool[0]]); // activates tenant c's grain on whichever silo Orleans picks
            }));

            using var stop = new CancellationTokenSource(limit);
            var tally = new Tally();
            int total = clients * imagesPerClient;
            var clock = Stopwatch.StartNew();
            Task killer = Task.Run(async () =>
            {
                while (Volatile.Read(ref tally.Done) < total / 3 && !stop.IsCancellationRequested)
                {
                    await Task.Delay(20);
                }

                using var abrupt = new CancellationTokenSource();
                await abrupt.CancelAsync();
                log($"stopping server 3 of 3 abruptly after {Volatile.Read(ref tally.Done)} of {total} images, at {clock.Elapsed.TotalSeconds:F1} s");
                try
                {
                    await servers[2].App.StopAsync(abrupt.Token);
                }
                catch (OperationCanceledException)
                {
                    // A cancelled stop is the point: no graceful shutdown.
                }
            });
            await RunClientsAsync(Options, keySetId, pool, tally, stop.Token, (c, e) => log($"client {c}: {e.Message}"));
            await killer;
            log($"retries of transient failures: {tally.Retries}");
            return new LoadTestReport("3 silos, 1 stopped", tally.Done, tally.Errors, clock.Elapsed.TotalSeconds, [.. tally.Latencies]);
        }
        finally
        {
            foreach (var (app, _) in servers)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await app.StopAsync(quick.Token);
                }
                catch (OperationCanceledException)
                {
                    // Already stopped, or slow to stop: disposal below ends it.
                }

                await app.DisposeAsync();
            }

            Directory.Delete(keyStore, recursive: true);
        }
    }

    /// <summary>Starts an embedded server for <paramref name="weights"/> on free loopback ports.</summary>
    public static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, Uri Endpoint, string ApiKey, string KeyStore)> StartEmbeddedAsync(
        ChunkCnnWeights weights, int maxConcurrent)
    {
        string apiKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        string keyStore = Directory.CreateTempSubdirectory("hechunk-loadtest").FullName;
        var options = new HeChunkServerOptions
        {
            Models = [new ServedModelOptions { Name = "chunk-cnn", Weights = weights }],
            ApiKeys = new() { [apiKey] = "loadtest" },
            KeyStorePath = keyStore,
            Port = FreePort(),
            SiloPort = FreePort(),
            GatewayPort = FreePort(),
            MaxConcurrentImages = maxConcurrent,
            MaxQueuedImages = 256,
        };
        var app = HeChunkServer.Build(options, minimumLogLevel: Microsoft.Extensions.Logging.LogLevel.Warning);
        await app.StartAsync();
        var endpoint = new Uri($"http://127.0.0.1:{options.Port}");
        var catalog = (Server.Models.ModelCatalog)app.Services.GetService(typeof(Server.Models.ModelCatalog))!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!catalog.IsReady)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new CliException($"the embedded server did not load its model within 60 s{(catalog.Failure is null ? "" : ": " + catalog.Failure)}");
            }

            await Task.Delay(50);
        }

        return (app, endpoint, apiKey, keyStore);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
