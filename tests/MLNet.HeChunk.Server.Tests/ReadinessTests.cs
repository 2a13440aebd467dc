using Grpc.Core;
using Grpc.Health.V1;
using MLNet.HeChunk.Service.V1;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>Readiness: a server whose model cannot be loaded stays NOT_SERVING and says why on every call.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task AServerWhoseModelFailsToLoadIsNotServingAndSaysWhy()
    {
        string keyStore = Directory.CreateTempSubdirectory("hechunk-ready").FullName;
        HeChunkServerOptions options = TestServer.DefaultOptions(TestModels.RandomWeights(1), keyStore);
        options.Models = [new ServedModelOptions { Name = "broken", Path = Path.Combine(keyStore, "no-such.weights") }];
        try
        {
            await using TestServer server = await TestServer.StartAsync(options, waitUntilServing: false);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await server.HealthAsync());
            using var raw = new RawCalls(server.Endpoint);
            RpcException? last = null;
            for (DateTime end = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < end; await Task.Delay(100))
            {
                last = await Assert.ThrowsAsync<RpcException>(() => raw.Client.GetModelAsync(new GetModelRequest(), RawCalls.As(TestServer.AliceKey)).ResponseAsync);
                if (last.Status.Detail.Contains("could not load", StringComparison.Ordinal))
                {
                    break;
                }
            }

            Assert.Equal(StatusCode.Unavailable, last!.StatusCode);
            Assert.Contains("no-such.weights", last.Status.Detail);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await server.HealthAsync());
        }
        finally
        {
            Directory.Delete(keyStore, recursive: true);
        }
    }
}
