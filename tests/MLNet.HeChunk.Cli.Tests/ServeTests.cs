using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Cli.Service;
using MLNet.HeChunk.Client;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Cli.Tests;

/// <summary>
/// <c>hechunk serve</c> as real processes: two of them join one cluster through a private redis-server; keys registered
/// through one (by <c>hechunk score --server</c>) are used through the other; and the verb's own refusals.
/// </summary>
public sealed class ServeTests
{
    private const string ApiKey = "cli-test-api-key-0123456789";

    [Fact]
    public void ServeWithoutACredentialOrModelFileFailsWithOneLine()
    {
        using var folder = new TempFolder();
        string weights = folder["chunk-cnn.weights"];
        File.WriteAllBytes(weights, ChunkCnnWeightsSerializer.Serialize(RandomChunkCnn.Create(5)));
        Environment.SetEnvironmentVariable(ServerSettings.ApiKeysVariable, null);
        CliRun.Of("serve", "--model", weights).AssertOneLineError("no credential");
        CliRun.Of("serve", "--model", folder["missing.weights"], "--api-key", ApiKey + "=t").AssertOneLineError("does not exist");
        CliRun.Of("serve", "--model", weights, "--api-key", "short=t").AssertOneLineError("shorter than 16");
        CliRun.Of("loadtest", "--server", "http://10.1.2.3:5080").AssertOneLineError("127.0.0.1");
    }

    [SkippableFact]
    public void TwoServeProcessesShareAKeySetThroughRedis()
    {
        string? redisBinary = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);
        if (redisBinary is null)
        {
            const string message = "redis-server is not installed (apt-get install -y redis-server).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(message + " CI=true requires it.");
            }

            Skip.If(true, message);
        }

        using var folder = new TempFolder();
        ChunkCnnWeights weights = RandomChunkCnn.Create(5);
        File.WriteAllBytes(folder["chunk-cnn.weights"], ChunkCnnWeightsSerializer.Serialize(weights));
        int redisPort = ServeProcess.FreePort();
        using var redis = ServeProcess.Program(redisBinary!, ["--port", redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]);
        redis.WaitForPort(redisPort, TimeSpan.FromSeconds(15));

        var environment = new Dictionary<string, string> { [ServerSettings.ApiKeysVariable] = $"{ApiKey}=tenant" };
        int[] ports = [ServeProcess.FreePort(), ServeProcess.FreePort()];
        ServeProcess Serve(int port) => ServeProcess.Hechunk(
            ["serve", "--model", $"chunk-cnn={folder["chunk-cnn.weights"]}", "--port", $"{port}", "--redis", $"127.0.0.1:{redisPort}",
             "--cluster-id", "cli-test", "--silo-port", $"{ServeProcess.FreePort()}", "--gateway-port", $"{ServeProcess.FreePort()}"], environment);
        using ServeProcess first = Serve(ports[0]);
        using ServeProcess second = Serve(ports[1]);
        first.WaitForPort(ports[0], TimeSpan.FromSeconds(90));
        second.WaitForPort(ports[1], TimeSpan.FromSeconds(90));

        // Client side: keys, one encrypted upload file, the public keys in a key folder.
        HeChunkKeys keys = HeChunkKeys.GenerateForChunkCnn(CkksParameters.Create(CkksPresets.N8192ChunkCnn), new ChunkPacking(), 28, degreeOfParallelism: 2);
        Directory.CreateDirectory(folder["keys"]);
        keys.SavePublic(Path.Combine(folder["keys"], "public.keys"));
        var grid = new ChunkGrid(112, 112, 28, 28);
        var encryptor = new ChunkGroupEncryptor(keys, new ChunkPacking(), EncryptionMode.AllChunks, useSecretKey: true, degreeOfParallelism: 2);
        var random = new Random(3);
        byte[][] groups = Enumerable.Range(0, 2).Select(_ =>
        {
            var chunks = new float[grid.VectorLength];
            for (int i = 0; i < chunks.Length; i++)
            {
                chunks[i] = random.Next(256);
            }

            return encryptor.Encrypt(grid, chunks, Enumerable.Range(1, 16).ToArray()).ToBytes();
        }).ToArray();
        var ml = new MLContext(1);
        IDataView upload = ml.Data.LoadFromEnumerable(groups.Select(g => new UploadRow { EncryptedChunks = g }));
        using (FileStream file = File.Create(folder["upload.idv"]))
        {
            ml.Data.SaveAsBinary(upload, file);
        }

        // Through the first process: hechunk score --server registers the keys and scores.
        CliRun viaFirst = CliRun.Of("score", "--server", $"http://127.0.0.1:{ports[0]}", "--api-key", ApiKey, "--keys", folder["keys"],
            "--in", folder["upload.idv"], "--out", folder["answers.idv"]);
        Assert.True(viaFirst.ExitCode == 0, $"{viaFirst.Error}\nfirst server:\n{first.Log}");

        // Through the second process, naming only the key-set id the first one stored in Redis.
        using var client = new HeChunkServiceClient(new RemoteScoringOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{ports[1]}"), Credential = ApiKey, ModelName = "chunk-cnn", MaxRetries = 10,
        });
        byte[][] viaSecond = client.ScoreAsync(keys.KeySetId, groups).GetAwaiter().GetResult();

        var local = new EncryptedChunkCnn(weights, keys.PublicOnly());
        var decryptor = new ScoreDecryptor(keys);
        byte[][] fromFile = ml.Data.LoadFromBinary(folder["answers.idv"]).GetColumn<VBuffer<byte>>("EncryptedScores").Select(v => v.DenseValues().ToArray()).ToArray();
        for (int i = 0; i < groups.Length; i++)
        {
            double[] expected = decryptor.DecryptLogits(local.Score(EncryptedChunkGroup.FromBytes(groups[i], keys)));
            Assert.Equal(expected, decryptor.DecryptLogits(EncryptedScores.FromBytes(fromFile[i], keys)));
            Assert.Equal(expected, decryptor.DecryptLogits(EncryptedScores.FromBytes(viaSecond[i], keys)));
        }

        Assert.False(first.HasExited, first.Log);
        Assert.False(second.HasExited, second.Log);
    }

    [Fact]
    public async Task AnEmbeddedServerKeepsKeySetsInItsFolderAcrossARestart()
    {
        using var folder = new TempFolder();
        ChunkCnnWeights weights = RandomChunkCnn.Create(6);
        File.WriteAllBytes(folder["chunk-cnn.weights"], ChunkCnnWeightsSerializer.Serialize(weights));
        var environment = new Dictionary<string, string> { [ServerSettings.ApiKeysVariable] = $"{ApiKey}=tenant" };
        int port = ServeProcess.FreePort();
        ServeProcess Serve() => ServeProcess.Hechunk(
            ["serve", "--model", folder["chunk-cnn.weights"], "--port", $"{port}", "--key-store", folder["keysets"],
             "--silo-port", $"{ServeProcess.FreePort()}", "--gateway-port", $"{ServeProcess.FreePort()}"], environment);
        HeChunkKeys keys = HeChunkKeys.GenerateForChunkCnn(CkksParameters.Create(CkksPresets.N8192ChunkCnn), new ChunkPacking(), 28, degreeOfParallelism: 2);
        var grid = new ChunkGrid(112, 112, 28, 28);
        byte[] group = new ChunkGroupEncryptor(keys, new ChunkPacking(), EncryptionMode.AllChunks, useSecretKey: true)
            .Encrypt(grid, new float[grid.VectorLength], Enumerable.Range(1, 16).ToArray()).ToBytes();
        var options = new RemoteScoringOptions { Endpoint = new Uri($"http://127.0.0.1:{port}"), Credential = ApiKey, MaxRetries = 10 };
        byte[] first;
        using (ServeProcess server = Serve())
        {
            server.WaitForPort(port, TimeSpan.FromSeconds(90));
            using var client = new HeChunkServiceClient(options);
            Assert.Equal(keys.KeySetId, (await client.RegisterKeysAsync(keys)).KeySetId);
            first = (await client.ScoreAsync(keys.KeySetId, [group]))[0];
        }

        Assert.Single(Directory.GetFiles(folder["keysets"], "*.keys", SearchOption.AllDirectories));
        using (ServeProcess restarted = Serve())
        {
            restarted.WaitForPort(port, TimeSpan.FromSeconds(90));
            using var client = new HeChunkServiceClient(options);
            byte[] again = (await client.ScoreAsync(keys.KeySetId, [group]))[0];
            var decryptor = new ScoreDecryptor(keys);
            Assert.Equal(decryptor.DecryptLogits(EncryptedScores.FromBytes(first, keys)), decryptor.DecryptLogits(EncryptedScores.FromBytes(again, keys)));
        }
    }

    private sealed class UploadRow
    {
        [VectorType]
        public byte[] EncryptedChunks { get; set; } = [];
    }
}
