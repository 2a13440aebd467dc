using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cli.Service;
using MLNet.HeChunk.Encryption;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary>
/// <c>hechunk loadtest</c>: N concurrent clients x M images through the scoring service (embedded in this process, or
/// a loopback server), against the library's encrypted scorer in this process on the same images; prints throughput,
/// latency percentiles, errors and peak memory. Loopback only, bounded in count and time.
/// </summary>
internal static class LoadTestCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "chunk-cnn.weights or model.zip (default: random weights of the trained shape)." };
        var server = new Option<string?>("--server") { Description = "A running hechunk serve on 127.0.0.1 (default: start one in this process)." };
        var apiKey = new Option<string?>("--api-key") { Description = $"With --server: the API key (or {ServerSettings.ApiKeyVariable})." };
        var modelName = new Option<string>("--model-name") { Description = "With --server: the served model.", DefaultValueFactory = _ => "" };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 2 };
        var images = new Option<int>("--images") { Description = "Images per client.", DefaultValueFactory = _ => 10 };
        var perCall = new Option<int>("--images-per-call") { Description = "Images per Score call.", DefaultValueFactory = _ => 1 };
        var seconds = new Option<int>("--max-seconds") { Description = "Time limit of each run.", DefaultValueFactory = _ => 300 };
        var kill = new Option<bool>("--kill-one-of-three") { Description = "Instead of one server: three embedded silos in one cluster, one stopped abruptly a third of the way through." };
        var command = new Command("loadtest", "Measure the scoring service against the in-process encrypted scorer (loopback only, bounded).")
        {
            model, server, apiKey, modelName, clients, images, perCall, seconds, kill,
        };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(clients), m = parse.GetValue(images), b = parse.GetValue(perCall), limit = parse.GetValue(seconds);
            if (n < 1 || n > 64 || m < 1 || m > 10_000 || b < 1 || limit < 1 || limit > 3600)
            {
                throw new CliException("--clients 1-64, --images 1-10000, --images-per-call >= 1, --max-seconds 1-3600");
            }

            var ml = new MLContext(1);
            var weights = parse.GetValue(model) is { } path ? CliFiles.LoadWeights(ml, path) : RandomChunkCnn.Create(5);
            Uri? remote = null;
            if (parse.GetValue(kill) && parse.GetValue(server) is not null)
            {
                throw new CliException("--kill-one-of-three starts its own three silos; it does not take --server");
            }

            if (parse.GetValue(server) is { } address)
            {
                if (!Uri.TryCreate(address, UriKind.Absolute, out remote) || !remote.IsLoopback)
                {
                    throw new CliException($"--server '{address}' must be an http:// address on 127.0.0.1 (the load test stays on loopback)");
                }
            }

            HeChunkKeys keys = context.Console.Status().Start("Generating keys...", _ =>
                HeChunkKeys.GenerateForChunkCnn(CkksParameters.Create(CkksPresets.N8192ChunkCnn),
                    new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels), weights.ChunkSize, degreeOfParallelism: 2));
            var test = new LoadTest(weights, keys, n, m, b, TimeSpan.FromSeconds(limit));
            byte[][] pool = context.Console.Status().Start("Encrypting images...", _ => test.EncryptPool(Math.Min(8, n * m), seed: 1));
            LoadTestReport baseline = context.Console.Status().Start("In-process encrypted scorer...", _ => test.InProcess(pool));
            var notes = new List<string>();
            LoadTestReport service = parse.GetValue(kill)
                ? context.Console.Status().Start("Through three silos, one stopped midway...", _ => test.ThroughClusterKillingOneAsync(pool, line =>
                {
                    lock (notes)
                    {
                        notes.Add(line);
                    }
                }).GetAwaiter().GetResult())
                : context.Console.Status().Start("Through the service...", _ => RunService(test, remote, parse.GetValue(apiKey), parse.GetValue(modelName)!, weights, pool)
                    .GetAwaiter().GetResult());
            foreach (string note in notes)
            {
                context.Console.WriteLine(note);
            }

            var table = new Table().AddColumns("run", "images", "errors", "seconds", "images/s", "p50 ms", "p95 ms", "p99 ms");
            foreach (LoadTestReport r in new[] { baseline, service })
            {
                table.AddRow(r.Name, $"{r.Images}", $"{r.Errors}", $"{r.Seconds:F1}", $"{r.ImagesPerSecond:F2}", $"{r.Percentile(50):F0}", $"{r.Percentile(95):F0}", $"{r.Percentile(99):F0}");
            }

            context.Console.Write(table);
            context.Console.WriteLine(
                $"{n} clients x {m} images, {b} per call, all 16 chunks encrypted; service / in-process throughput = {service.ImagesPerSecond / baseline.ImagesPerSecond:P0}; " +
                $"peak working set of this process {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MB{(remote is null ? " (embedded server and clients)" : "")}" +
                (remote is null && !parse.GetValue(kill) ? $"; managed memory of one registered, active key set {test.KeySetMegabytes:F0} MB" : ""));
            return service.Errors == 0 && baseline.Errors == 0 ? HeChunkCli.Success : HeChunkCli.Failure;
        });
        return command;
    }

    private static async Task<LoadTestReport> RunService(LoadTest test, Uri? remote, string? apiKey, string modelName, Cnn.ChunkCnnWeights weights, byte[][] pool)
    {
        if (remote is not null)
        {
            return await test.ThroughServiceAsync(remote, ServerSettings.ClientKey(apiKey), modelName, pool);
        }

        var (app, endpoint, key, keyStore) = await LoadTest.StartEmbeddedAsync(weights, Environment.ProcessorCount);
        try
        {
            return await test.ThroughServiceAsync(endpoint, key, "chunk-cnn", pool);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(keyStore, recursive: true);
        }
    }
}
