using Grpc.Core;
using Grpc.Health.V1;
using MLNet.HeChunk.Client;
using MLNet.HeChunk.Server.Scoring;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>A server with tight limits: oversize key sets and overload are refused cleanly, and the client's retries get through.</summary>
public sealed class LimitsTests : IAsyncLifetime
{
    private readonly string _keyStore = Directory.CreateTempSubdirectory("hechunk-limits").FullName;
    private TestServer? _server;

    private TestServer Server => _server!;

    public async Task InitializeAsync()
    {
        HeChunkServerOptions options = TestServer.DefaultOptions(TestModels.RandomWeights(11), _keyStore);
        options.MaxKeySetBytes = 60L << 20;
        options.MaxConcurrentImages = 1;
        options.MaxQueuedImages = 0;
        options.PerCallWindow = 2;
        _server = await TestServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_keyStore, recursive: true);
    }

    [Fact]
    public async Task AKeySetOverTheLimitIsResourceExhaustedWithoutReadingTheRest()
    {
        using var raw = new RawCalls(Server.Endpoint);
        var e = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(new byte[(60 << 20) + 4096], TestServer.AliceKey));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("limit", e.Status.Detail);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await Server.HealthAsync());
    }

    [Fact]
    public async Task OverloadIsShedWithResourceExhaustedAndTheClientsRetriesGetEveryImageThrough()
    {
        using var raw = new RawCalls(Server.Endpoint);
        string id = (await raw.RegisterAsync(RawCalls.PublicBytes(TestKeys.Alice), TestServer.AliceKey)).KeySetId;
        byte[][] groups = TestImages.EncryptedGroups(TestKeys.Alice, 6, seed: 8);

        // Without retries: two calls of three images against one admitted image: the surplus is shed (an image's reply).
        var attempts = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            try
            {
                await raw.ScoreAsync(id, groups[..3], TestServer.AliceKey);
                return (RpcException?)null;
            }
            catch (RpcException e)
            {
                return e;
            }
        }));
        Assert.True(attempts.Any(e => e is not null), "two concurrent calls were expected to exceed the admission limit of one image");
        RpcException shed = attempts.First(e => e is not null)!;
        Assert.True(shed.StatusCode == StatusCode.ResourceExhausted, $"{shed.StatusCode}: {shed.Status.Detail}");
        Assert.Equal(StatusCode.ResourceExhausted, shed.StatusCode);
        Assert.Contains("admission limit", shed.Status.Detail);

        // With the client's retries, three concurrent batches all complete.
        using var client = new HeChunkServiceClient(new RemoteScoringOptions
        {
            Endpoint = Server.Endpoint,
            Credential = TestServer.AliceKey,
            ModelName = "chunk-cnn",
            RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetries = 30,
        });
        byte[][][] answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(b => client.ScoreAsync(id, groups[(2 * b)..(2 * b + 2)])));
        Assert.All(answers.SelectMany(a => a), a => Assert.NotEmpty(a));
        Assert.True(client.Retries > 0, "the server was expected to shed some of the concurrent work");
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await Server.HealthAsync());
    }

    [Fact]
    public async Task CancellingAScoreCallStopsTheServersWorkOnIt()
    {
        using var raw = new RawCalls(Server.Endpoint);
        string id = (await raw.RegisterAsync(RawCalls.PublicBytes(TestKeys.Alice), TestServer.AliceKey)).KeySetId;
        byte[][] groups = TestImages.EncryptedGroups(TestKeys.Alice, 8, seed: 9);
        var slots = Server.Get<EvaluationSlots>();
        var admission = Server.Get<AdmissionGate>();
        using var client = new HeChunkServiceClient(new RemoteScoringOptions { Endpoint = Server.Endpoint, Credential = TestServer.AliceKey, ModelName = "chunk-cnn" });
        await client.ScoreAsync(id, groups[..1]); // activation and encodings, so the call below is evaluation only

        long before = slots.Evaluated;
        using var cancel = new CancellationTokenSource();
        Task scoring = client.ScoreAsync(id, groups, cancel.Token);
        for (DateTime end = DateTime.UtcNow.AddSeconds(60); slots.Evaluated == before && DateTime.UtcNow < end;)
        {
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        Exception stopped = await Assert.ThrowsAnyAsync<Exception>(() => scoring.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(stopped is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled }, stopped.ToString());

        // The server drains what was in flight and starts nothing more of the cancelled call.
        for (DateTime end = DateTime.UtcNow.AddSeconds(30); admission.Admitted > 0 && DateTime.UtcNow < end;)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, admission.Admitted);
        long evaluated = slots.Evaluated - before;
        await Task.Delay(1000);
        Assert.Equal(evaluated, slots.Evaluated - before);
        Assert.True(evaluated < groups.Length, $"{evaluated} of {groups.Length} images were evaluated after the cancellation");
    }
}
