using MLNet.HeChunk.Client;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;
using MLNet.HeChunk.Service.V1;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>One server, two models by name: each answers with its own weights for the same key set.</summary>
public sealed class MultipleModelsTests
{
    [Fact]
    public async Task EachServedModelScoresWithItsOwnWeights()
    {
        string keyStore = Directory.CreateTempSubdirectory("hechunk-models").FullName;
        var (a, b) = (TestModels.RandomWeights(41), TestModels.RandomWeights(42));
        HeChunkServerOptions options = TestServer.DefaultOptions(a, keyStore);
        options.Models =
        [
            new ServedModelOptions { Name = "steel-a", Version = "1", Weights = a, ClassNames = TestModels.ClassNames },
            new ServedModelOptions { Name = "steel-b", Version = "2", Weights = b, ClassNames = TestModels.ClassNames },
        ];
        try
        {
            await using TestServer server = await TestServer.StartAsync(options);
            HeChunkKeys keys = TestKeys.Alice;
            byte[][] groups = TestImages.EncryptedGroups(keys, 1, seed: 43);
            var decryptor = new ScoreDecryptor(keys);
            foreach (var (name, weights) in new[] { ("steel-a", a), ("steel-b", b) })
            {
                using var client = new HeChunkServiceClient(new RemoteScoringOptions { Endpoint = server.Endpoint, Credential = TestServer.AliceKey, ModelName = name });
                ModelInfo info = await client.GetModelAsync();
                Assert.Equal(name, info.Name);
                string id = (await client.RegisterKeysAsync(keys)).KeySetId;
                byte[] answer = (await client.ScoreAsync(id, groups))[0];
                double[] expected = decryptor.DecryptLogits(new EncryptedChunkCnn(weights, keys.PublicOnly()).Score(EncryptedChunkGroup.FromBytes(groups[0], keys)));
                Assert.Equal(expected, decryptor.DecryptLogits(EncryptedScores.FromBytes(answer, keys)));
            }

            // No model name: the first configured model.
            using var plain = new HeChunkServiceClient(new RemoteScoringOptions { Endpoint = server.Endpoint, Credential = TestServer.AliceKey });
            Assert.Equal("steel-a", (await plain.GetModelAsync()).Name);
        }
        finally
        {
            Directory.Delete(keyStore, recursive: true);
        }
    }
}
