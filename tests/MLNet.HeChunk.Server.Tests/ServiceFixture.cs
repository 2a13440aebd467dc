using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>
/// Shared by the service tests: one running server with a random-weights model, and alice's real 128-bit key set
/// (N = 8192, the chunk CNN's Galois keys), generated once.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private readonly string _keyStore = Directory.CreateTempSubdirectory("hechunk-keystore").FullName;
    private TestServer? _server;

    public ChunkCnnWeights Weights { get; } = TestModels.RandomWeights(7);

    public HeChunkKeys Keys => TestKeys.Alice;

    internal TestServer Server => _server ?? throw new InvalidOperationException("the server did not start");

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(TestServer.DefaultOptions(Weights, _keyStore));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_keyStore, recursive: true);
    }
}
