using Grpc.Core;
using Grpc.Health.V1;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Service.V1;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>GetModel, RegisterKeys, Score and health as a client sees them, tenants, and every refusal of bad input.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ServiceContractTests(ServiceFixture fixture)
{
    private async Task<string> RegisterAliceAsync()
    {
        using var raw = new RawCalls(fixture.Server.Endpoint);
        return (await raw.RegisterAsync(RawCalls.PublicBytes(fixture.Keys), TestServer.AliceKey)).KeySetId;
    }

    [Fact]
    public async Task GetModelTellsAClientEverythingItNeedsToMakeKeys()
    {
        using var raw = new RawCalls(fixture.Server.Endpoint);
        ModelInfo info = await raw.Client.GetModelAsync(new GetModelRequest(), RawCalls.As(TestServer.AliceKey));
        Assert.Equal("chunk-cnn", info.Name);
        Assert.Equal("test", info.Version);
        Assert.Equal(TestModels.ClassNames, info.ClassNames);
        Assert.Equal((7, 7, 16, 28, 112, 112), (info.KernelSize, info.Stride, info.Channels, info.ChunkSize, info.ImageHeight, info.ImageWidth));
        CkksParameters parameters = CkksSerializer.ReadParameters(info.CkksParameters.Span);
        Assert.Equal(fixture.Keys.Parameters.Fingerprint, parameters.Fingerprint);
        Assert.Equal(ChunkCnnRotations.Steps(new ChunkPacking(7, 7, 16), 28, parameters.SlotCount), info.RotationSteps);

        // The bearer form of the credential works as well as the header.
        ModelInfo again = await raw.Client.GetModelAsync(new GetModelRequest { ModelName = "chunk-cnn" }, RawCalls.As(TestServer.BobKey, bearer: true));
        Assert.Equal(info.Name, again.Name);
        var missing = await Assert.ThrowsAsync<RpcException>(() => raw.Client.GetModelAsync(new GetModelRequest { ModelName = "nope" }, RawCalls.As(TestServer.AliceKey)).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("chunk-cnn", missing.Status.Detail);
    }

    [Fact]
    public async Task HealthReportsServingOnceTheModelIsLoaded() =>
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await fixture.Server.HealthAsync());

    [Fact]
    public async Task RegistrationIsIdempotentAndReturnsTheKeySetId()
    {
        using var raw = new RawCalls(fixture.Server.Endpoint);
        byte[] bytes = RawCalls.PublicBytes(fixture.Keys);
        RegisterKeysReply first = await raw.RegisterAsync(bytes, TestServer.AliceKey);
        RegisterKeysReply second = await raw.RegisterAsync(bytes, TestServer.AliceKey, pieceBytes: 300_000);
        Assert.Equal(fixture.Keys.KeySetId, first.KeySetId);
        Assert.Equal(first.KeySetId, second.KeySetId);
        Assert.True(second.AlreadyRegistered);
        Assert.Equal(bytes.Length, second.SizeBytes);
    }

    [Fact]
    public async Task ScoreAnswersEveryImageInOrderTaggedWithItsRowId()
    {
        string id = await RegisterAliceAsync();
        byte[][] groups = TestImages.EncryptedGroups(fixture.Keys, 5, seed: 3);
        using var raw = new RawCalls(fixture.Server.Endpoint);
        List<ScoreReply> replies = await raw.ScoreAsync(id, groups, TestServer.AliceKey);
        Assert.Equal([100, 101, 102, 103, 104], replies.Select(r => r.RowId));
        var local = new MLNet.HeChunk.Scoring.EncryptedChunkCnn(fixture.Weights, fixture.Keys.PublicOnly());
        var decryptor = new ScoreDecryptor(fixture.Keys);
        for (int i = 0; i < groups.Length; i++)
        {
            double[] expected = decryptor.DecryptLogits(local.Score(EncryptedChunkGroup.FromBytes(groups[i], fixture.Keys)));
            double[] actual = decryptor.DecryptLogits(EncryptedScores.FromBytes(replies[i].EncryptedScores.Span, fixture.Keys));
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task CallsWithoutOrWithAWrongCredentialAreUnauthenticatedAndTheSecretIsNotEchoed()
    {
        using var raw = new RawCalls(fixture.Server.Endpoint);
        var none = await Assert.ThrowsAsync<RpcException>(() => raw.Client.GetModelAsync(new GetModelRequest(), RawCalls.As(null)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
        Assert.Contains("x-api-key", none.Status.Detail);
        const string wrong = "not-a-key-of-this-server-123";
        var bad = await Assert.ThrowsAsync<RpcException>(() => raw.Client.GetModelAsync(new GetModelRequest(), RawCalls.As(wrong)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, bad.StatusCode);
        Assert.DoesNotContain(wrong, bad.Status.Detail);
        var scoring = await Assert.ThrowsAsync<RpcException>(() => raw.ScoreAsync(fixture.Keys.KeySetId, [[1, 2, 3]], null));
        Assert.Equal(StatusCode.Unauthenticated, scoring.StatusCode);
        var registering = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(RawCalls.PublicBytes(fixture.Keys), wrong));
        Assert.Equal(StatusCode.Unauthenticated, registering.StatusCode);
    }

    [Fact]
    public async Task AnotherTenantCannotScoreWithAKeySetNorTellItFromAnUnknownOne()
    {
        string id = await RegisterAliceAsync();
        byte[][] groups = TestImages.EncryptedGroups(fixture.Keys, 1, seed: 4);
        using var raw = new RawCalls(fixture.Server.Endpoint);
        var stolen = await Assert.ThrowsAsync<RpcException>(() => raw.ScoreAsync(id, groups, TestServer.BobKey));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => raw.ScoreAsync("0123456789abcdef", groups, TestServer.BobKey));
        Assert.Equal(StatusCode.NotFound, stolen.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(unknown.Status.Detail.Replace("0123456789abcdef", id, StringComparison.Ordinal), stolen.Status.Detail);

        // Alice still scores with it; bob registering the same public keys gets a registration of his own, which does
        // not reveal that alice has one.
        Assert.Single(await raw.ScoreAsync(id, groups, TestServer.AliceKey));
        var bobsOwn = await raw.RegisterAsync(RawCalls.PublicBytes(fixture.Keys), TestServer.BobKey);
        Assert.Equal(id, bobsOwn.KeySetId);
        Assert.False(bobsOwn.AlreadyRegistered);
    }

    [Fact]
    public async Task DamagedChunkGroupsAreInvalidArgumentAndTheServerStaysUp()
    {
        string id = await RegisterAliceAsync();
        byte[] good = TestImages.EncryptedGroups(fixture.Keys, 1, seed: 5)[0];
        byte[] truncated = good[..(good.Length / 2)];
        byte[] garbled = (byte[])good.Clone();
        garbled[garbled.Length / 3] ^= 0x5A;
        using var raw = new RawCalls(fixture.Server.Endpoint);
        foreach (byte[] bad in new[] { truncated, garbled, [1, 2, 3] })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => raw.ScoreAsync(id, [good, bad], TestServer.AliceKey));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains("row 101", e.Status.Detail);
        }

        Assert.Single(await raw.ScoreAsync(id, [good], TestServer.AliceKey));
    }

    [Fact]
    public async Task AChunkGroupOfAnotherKeySetOrOtherParametersIsRefused()
    {
        string id = await RegisterAliceAsync();
        HeChunkKeys other = HeChunkKeys.Generate(CkksParameters.Create(CkksPresets.N8192Depth3), [1]);
        byte[] foreign = new ChunkGroupEncryptor(other, new ChunkPacking(), EncryptionMode.AllChunks)
            .Encrypt(TestImages.Grid, new float[TestImages.Grid.VectorLength], Enumerable.Range(1, 16).ToArray()).ToBytes();
        using var raw = new RawCalls(fixture.Server.Endpoint);
        var e = await Assert.ThrowsAsync<RpcException>(() => raw.ScoreAsync(id, [foreign], TestServer.AliceKey));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("key set", e.Status.Detail);
    }

    [Fact]
    public async Task AnOversizedMessageIsResourceExhausted()
    {
        string id = await RegisterAliceAsync();
        using var raw = new RawCalls(fixture.Server.Endpoint);
        var e = await Assert.ThrowsAsync<RpcException>(() => raw.ScoreAsync(id, [new byte[fixture.Server.Options.MaxRequestBytes + 1]], TestServer.AliceKey));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Single(await raw.ScoreAsync(id, TestImages.EncryptedGroups(fixture.Keys, 1, seed: 6), TestServer.AliceKey));
    }

    [Fact]
    public async Task BadKeySetsAreRefusedWithAStatusThatNamesTheProblem()
    {
        using var raw = new RawCalls(fixture.Server.Endpoint);
        byte[] good = RawCalls.PublicBytes(fixture.Keys);

        var truncated = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(good[..(good.Length - 1000)], TestServer.AliceKey));
        Assert.Equal(StatusCode.InvalidArgument, truncated.StatusCode);
        Assert.Contains("corrupt or truncated", truncated.Status.Detail);

        byte[] garbled = (byte[])good.Clone();
        garbled[12] ^= 0xFF;
        var damaged = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(garbled, TestServer.AliceKey));
        Assert.Equal(StatusCode.InvalidArgument, damaged.StatusCode);

        // Garbled evaluation keys under the registered public key do not replace the registered ones: the key file's
        // digest covers every byte (issue 11), so the tampered set is refused as corrupt before its id is even compared.
        RegisterKeysReply registered = await raw.RegisterAsync(good, TestServer.AliceKey);
        byte[] tampered = (byte[])good.Clone();
        tampered[good.Length / 2] ^= 0xFF;
        var conflict = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(tampered, TestServer.AliceKey));
        Assert.Equal(StatusCode.InvalidArgument, conflict.StatusCode);
        Assert.Equal(registered.KeySetId, (await raw.RegisterAsync(good, TestServer.AliceKey)).KeySetId);

        var trailing = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync([.. good, 0], TestServer.AliceKey));
        Assert.Equal(StatusCode.InvalidArgument, trailing.StatusCode);

        var insecure = HeChunkKeys.Generate(CkksParameters.Create(CkksPresets.InsecureN1024), [1]);
        var weak = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(RawCalls.PublicBytes(insecure), TestServer.AliceKey));
        Assert.Equal(StatusCode.InvalidArgument, weak.StatusCode);
        Assert.Contains("128-bit", weak.Status.Detail);

        var otherParameters = HeChunkKeys.Generate(CkksParameters.Create(CkksPresets.N8192Depth3), [1]);
        var misfit = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(RawCalls.PublicBytes(otherParameters), TestServer.AliceKey));
        Assert.Equal(StatusCode.FailedPrecondition, misfit.StatusCode);
        Assert.Contains("parameters", misfit.Status.Detail);

        var fewRotations = HeChunkKeys.Generate(fixture.Keys.Parameters, [1, 2]);
        var lacking = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(RawCalls.PublicBytes(fewRotations), TestServer.AliceKey));
        Assert.Equal(StatusCode.FailedPrecondition, lacking.StatusCode);
        Assert.Contains("rotation step", lacking.Status.Detail);

        // Every rotation step, but no conjugation key and each key one level too low: refused at registration, by name.
        var parameters = fixture.Keys.Parameters;
        var requests = ChunkCnnRotations.KeyRequests(new ChunkPacking(), 28, parameters.SlotCount, parameters.MaxLevel);
        var lowKeys = HeChunkKeys.Generate(parameters, [.. requests.Where(r => !r.IsConjugation).Select(r => GaloisKeyRequest.Rotation(r.Step, Math.Max(0, r.MaxLevel - 1)))], 1);
        var low = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync(RawCalls.PublicBytes(lowKeys), TestServer.AliceKey));
        Assert.Equal(StatusCode.FailedPrecondition, low.StatusCode);
        Assert.Contains("conjugation (level 5)", low.Status.Detail);
        Assert.Contains("rotation 16 (level 5)", low.Status.Detail);
        Assert.Contains("relinearization (level 4)", low.Status.Detail);

        var empty = await Assert.ThrowsAsync<RpcException>(() => raw.RegisterAsync([], TestServer.AliceKey));
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await fixture.Server.HealthAsync());
    }
}
