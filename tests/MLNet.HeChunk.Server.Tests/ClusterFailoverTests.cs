using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;
using MLNet.HeChunk.Server.Grains;
using MLNet.HeChunk.Server.Hosting;
using MLNet.HeChunk.Server.KeySets;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>
/// Three silos (Orleans' TestingHost, in this process, loopback only) share a key-set folder; key-set grains spread over
/// them. One silo is killed while images are being scored: every image still ends with the right answer after retries
/// (the grain re-activates on a live silo from the store) or with a clear error, and none gets a wrong answer.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static HeChunkServerOptions? s_options;
    private readonly string _keyStore = Directory.CreateTempSubdirectory("hechunk-cluster").FullName;
    private TestCluster? _cluster;

    public async Task InitializeAsync()
    {
        s_options = TestServer.DefaultOptions(TestModels.RandomWeights(7), _keyStore);
        var builder = new TestClusterBuilder(3);
        builder.Options.ClusterId = s_options.ClusterId;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        Directory.Delete(_keyStore, recursive: true);
    }

    [Fact]
    public async Task KillingOneSiloOfThreeMidLoadLosesNoKeySetAndGivesNoWrongAnswer()
    {
        TestCluster cluster = _cluster!;
        HeChunkKeys keys = TestKeys.Alice;
        byte[] keySet = RawCalls.PublicBytes(keys);
        var store = new FileKeySetStore(_keyStore);
        string[] tenants = ["t0", "t1", "t2"];
        foreach (string tenant in tenants)
        {
            await store.PutAsync(tenant, keys.KeySetId, keySet);
        }

        // Two images and their expected logits from the library's scorer.
        byte[][] groups = TestImages.EncryptedGroups(keys, 2, seed: 21);
        var local = new EncryptedChunkCnn(s_options!.Models[0].Weights!, keys.PublicOnly());
        var decryptor = new ScoreDecryptor(keys);
        double[][] expected = groups.Select(g => decryptor.DecryptLogits(local.Score(EncryptedChunkGroup.FromBytes(g, keys)))).ToArray();

        const int imagesPerTenant = 6;
        int done = 0, retries = 0;
        var outcomes = new List<string>();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var clock = Stopwatch.StartNew();
        Task killer = Task.Run(async () =>
        {
            while (Volatile.Read(ref done) < 3 && !limit.IsCancellationRequested)
            {
                await Task.Delay(50);
            }

            // A secondary silo: the primary hosts the test cluster's membership table.
            await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
        });
        await Task.WhenAll(tenants.Select(tenant => Task.Run(async () =>
        {
            IKeySetGrain grain = cluster.Client.GetGrain<IKeySetGrain>(KeySetIds.GrainKey(tenant, keys.KeySetId));
            for (int i = 0; i < imagesPerTenant; i++)
            {
                string outcome = "no answer";
                for (int attempt = 0; attempt < 8 && !limit.IsCancellationRequested; attempt++)
                {
                    try
                    {
                        ScoreOutcome result = await grain.Score("chunk-cnn", new Orleans.Concurrency.Immutable<byte[]>(groups[i % 2])).WaitAsync(TimeSpan.FromSeconds(60), limit.Token);
                        if (result.Status == Grpc.Core.StatusCode.OK)
                        {
                            double[] logits = decryptor.DecryptLogits(EncryptedScores.FromBytes(result.EncryptedScores, keys));
                            bool right = logits.Zip(expected[i % 2]).All(p => Math.Abs(p.First - p.Second) < 1e-3);
                            outcome = right ? "right" : $"WRONG: {string.Join(", ", logits)}";
                            break;
                        }

                        outcome = $"error {result.Status}: {result.Message}";
                        if (result.Status != Grpc.Core.StatusCode.Unavailable)
                        {
                            break;
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        outcome = $"error {e.GetType().Name}: {e.Message}";
                    }

                    Interlocked.Increment(ref retries);
                    await Task.Delay(250 * (attempt + 1));
                }

                lock (outcomes)
                {
                    outcomes.Add(outcome);
                }

                Interlocked.Increment(ref done);
            }
        })));
        await killer;

        output.WriteLine($"{outcomes.Count} images, {retries} retries, {clock.Elapsed.TotalSeconds:F1} s; outcomes: {string.Join("; ", outcomes.Distinct())}");
        Assert.Equal(tenants.Length * imagesPerTenant, outcomes.Count);
        Assert.DoesNotContain(outcomes, o => o.StartsWith("WRONG", StringComparison.Ordinal));
        Assert.All(outcomes, o => Assert.True(o == "right", $"{o} (after {retries} retries, {clock.Elapsed.TotalSeconds:F0} s)"));
        Assert.Equal(2, cluster.GetActiveSilos().Count());
    }

    /// <summary>Each silo gets the grain services for the shared options, and fast failure detection.</summary>
    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddHeChunkSilo(s_options!);
            siloBuilder.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(2);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        }
    }
}
