using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Server.Hosting;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>One in-process server (gRPC front end and Orleans silo) on free loopback ports.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string AliceKey = "alice-api-key-0123456789";
    public const string BobKey = "bob-api-key-9876543210xyz";

    private TestServer(WebApplication app, HeChunkServerOptions options)
    {
        App = app;
        Options = options;
        Endpoint = new Uri($"http://127.0.0.1:{options.Port}");
    }

    public WebApplication App { get; }

    public HeChunkServerOptions Options { get; }

    public Uri Endpoint { get; }

    /// <summary>Options serving <paramref name="weights"/> as "chunk-cnn" to tenants alice and bob, on free ports.</summary>
    public static HeChunkServerOptions DefaultOptions(ChunkCnnWeights weights, string keyStore) => new()
    {
        Models = [new ServedModelOptions { Name = "chunk-cnn", Version = "test", Weights = weights, ClassNames = TestModels.ClassNames }],
        ApiKeys = new() { [AliceKey] = "alice", [BobKey] = "bob" },
        KeyStorePath = keyStore,
        Port = Environments.FreePort(),
        SiloPort = Environments.FreePort(),
        GatewayPort = Environments.FreePort(),
        MaxConcurrentImages = 2,
        ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8],
    };

    /// <summary>Starts a server and waits (bounded) until its health service reports it serving.</summary>
    public static async Task<TestServer> StartAsync(HeChunkServerOptions options, bool waitUntilServing = true)
    {
        WebApplication app = HeChunkServer.Build(options, minimumLogLevel: LogLevel.Warning);
        await app.StartAsync();
        var server = new TestServer(app, options);
        if (waitUntilServing)
        {
            await server.WaitUntilServingAsync(TimeSpan.FromSeconds(60));
        }

        return server;
    }

    /// <summary>A service of the server's container (admission gate, evaluation slots, ...).</summary>
    public T Get<T>()
        where T : notnull => (T)App.Services.GetService(typeof(T))!;

    public async Task<HealthCheckResponse.Types.ServingStatus> HealthAsync()
    {
        using GrpcChannel channel = GrpcChannel.ForAddress(Endpoint);
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(10));
        return reply.Status;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await App.StopAsync(timeout.Token);
        }
        finally
        {
            await App.DisposeAsync();
        }
    }

    private async Task WaitUntilServingAsync(TimeSpan limit)
    {
        DateTime end = DateTime.UtcNow + limit;
        while (await HealthAsync() != HealthCheckResponse.Types.ServingStatus.Serving)
        {
            if (DateTime.UtcNow > end)
            {
                throw new TimeoutException($"the server at {Endpoint} did not report serving within {limit.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }
}
