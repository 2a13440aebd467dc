using MLNet.HeChunk.Client;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;
using Xunit.Abstractions;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>
/// Cluster mode against a real redis-server: two servers (each a gRPC front end and an Orleans silo) join one cluster
/// through Orleans' Redis clustering and keep key sets in Redis. A key set registered through one is used through the
/// other, and still after the first is gone.
/// </summary>
public sealed class RedisClusterTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task AKeySetRegisteredThroughOneServerScoresThroughTheOtherAndOutlivesIt()
    {
        using RedisServer redis = RedisServer.Start();
        string clusterId = "redis-" + Guid.NewGuid().ToString("N")[..8];
        var weights = TestModels.RandomWeights(7);
        HeChunkServerOptions Options()
        {
            HeChunkServerOptions o = TestServer.DefaultOptions(weights, keyStore: "unused-in-cluster-mode");
            o.RedisConnectionString = redis.ConnectionString;
            o.ClusterId = clusterId;
            return o;
        }

        TestServer first = await TestServer.StartAsync(Options());
        await using TestServer second = await TestServer.StartAsync(Options());
        HeChunkKeys keys = TestKeys.Alice;
        byte[][] groups = TestImages.EncryptedGroups(keys, 2, seed: 31);
        var local = new EncryptedChunkCnn(weights, keys.PublicOnly());
        var decryptor = new ScoreDecryptor(keys);

        string keySetId;
        await using (first)
        {
            using var registrar = new HeChunkServiceClient(new RemoteScoringOptions { Endpoint = first.Endpoint, Credential = TestServer.AliceKey, ModelName = "chunk-cnn" });
            keySetId = (await registrar.RegisterKeysAsync(keys)).KeySetId;
            using var other = new HeChunkServiceClient(new RemoteScoringOptions { Endpoint = second.Endpoint, Credential = TestServer.AliceKey, ModelName = "chunk-cnn" });
            byte[][] answers = await other.ScoreAsync(keySetId, groups);
            AssertSameLogits(answers);

            // Bob, through the other server, cannot use it either.
            using var bob = new HeChunkServiceClient(new RemoteScoringOptions { Endpoint = second.Endpoint, Credential = TestServer.BobKey, ModelName = "chunk-cnn" });
            var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => bob.ScoreAsync(keySetId, groups));
            Assert.Equal(Grpc.Core.StatusCode.NotFound, refused.StatusCode);
        }

        // The first server (and its silo) is gone: the key set is still in Redis and re-activates on the second.
        using var survivor = new HeChunkServiceClient(new RemoteScoringOptions
        {
            Endpoint = second.Endpoint, Credential = TestServer.AliceKey, ModelName = "chunk-cnn", RetryDelay = TimeSpan.FromMilliseconds(500),
        });
        AssertSameLogits(await survivor.ScoreAsync(keySetId, groups));
        output.WriteLine($"retries after the first server stopped: {survivor.Retries}");

        void AssertSameLogits(byte[][] answers)
        {
            for (int i = 0; i < groups.Length; i++)
            {
                double[] expected = decryptor.DecryptLogits(local.Score(EncryptedChunkGroup.FromBytes(groups[i], keys)));
                double[] actual = decryptor.DecryptLogits(EncryptedScores.FromBytes(answers[i], keys));
                Assert.Equal(expected, actual);
            }
        }
    }
}
