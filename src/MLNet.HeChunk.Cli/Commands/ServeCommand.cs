using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using MLNet.HeChunk.Cli.Service;
using MLNet.HeChunk.Server;
using MLNet.HeChunk.Server.Hosting;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary>
/// <c>hechunk serve</c>: the encrypted scoring service. With only <c>--model</c> (and a credential) it is one process,
/// one Orleans silo with localhost clustering, key sets in a local folder; with <c>--redis</c> it joins a cluster.
/// </summary>
internal static class ServeCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var model = new Option<string[]>("--model") { Description = "Model to serve: chunk-cnn.weights or model.zip, as FILE or NAME=FILE (repeat for several).", Required = true, AllowMultipleArgumentsPerToken = false };
        var classes = new Option<string?>("--classes") { Description = "Class names, comma-separated (default: from the model zip, else class0..)." };
        var apiKey = new Option<string[]>("--api-key") { Description = $"Credential KEY=TENANT (repeat; or set {ServerSettings.ApiKeysVariable}=KEY=TENANT;... to keep keys out of the process list)." };
        var port = new Option<int>("--port") { Description = "gRPC port on 127.0.0.1 (plain HTTP/2); use --config with a Kestrel section for TLS or other addresses.", DefaultValueFactory = _ => 5080 };
        var keyStore = new Option<string>("--key-store") { Description = "Folder of registered key sets (embedded mode).", DefaultValueFactory = _ => "hechunk-keysets" };
        var redis = new Option<string?>("--redis") { Description = "Redis connection string: join the cluster through Redis and keep key sets there." };
        var clusterId = new Option<string>("--cluster-id") { Description = "Orleans cluster id (cluster mode).", DefaultValueFactory = _ => "hechunk" };
        var siloPort = new Option<int>("--silo-port") { Description = "Orleans silo port.", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Orleans gateway port.", DefaultValueFactory = _ => 30000 };
        var primary = new Option<int?>("--primary-silo-port") { Description = "Embedded mode: join the silo on this local port (several processes, one machine, shared --key-store)." };
        var concurrent = new Option<int>("--max-concurrent") { Description = "Images evaluated at once by this process.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var queued = new Option<int>("--max-queued") { Description = "Images admitted to wait; beyond, requests are shed (ResourceExhausted).", DefaultValueFactory = _ => 64 };
        var config = new Option<string?>("--config") { Description = "JSON configuration file (for example a Kestrel section with TLS endpoints, or a HeChunk section)." };
        var command = new Command("serve", "Run the encrypted scoring service (gRPC over HTTP/2; Orleans silo embedded, or clustered through Redis).")
        {
            model, classes, apiKey, port, keyStore, redis, clusterId, siloPort, gatewayPort, primary, concurrent, queued, config,
        };
        command.SetAction(parse =>
        {
            var options = new HeChunkServerOptions
            {
                Models = ServerSettings.Models(parse.GetValue(model)!, parse.GetValue(classes)?.Split(',', StringSplitOptions.TrimEntries)),
                ApiKeys = ServerSettings.ApiKeys(parse.GetValue(apiKey) ?? []),
                Port = parse.GetValue(port),
                KeyStorePath = parse.GetValue(keyStore)!,
                RedisConnectionString = parse.GetValue(redis),
                ClusterId = parse.GetValue(clusterId)!,
                SiloPort = parse.GetValue(siloPort),
                GatewayPort = parse.GetValue(gatewayPort),
                PrimarySiloPort = parse.GetValue(primary),
                MaxConcurrentImages = parse.GetValue(concurrent),
                MaxQueuedImages = parse.GetValue(queued),
            };
            IConfiguration? configuration = null;
            if (parse.GetValue(config) is { } file)
            {
                CliFiles.RequireFile(file, "configuration file");
                configuration = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(file)).Build();
                configuration.GetSection(HeChunkServerOptions.SectionName).Bind(options);
            }

            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }

            using var app = HeChunkServer.Build(options, configuration);
            app.StartAsync().GetAwaiter().GetResult();
            context.Console.MarkupLineInterpolated(
                $"Serving {string.Join(", ", options.Models.Select(m => m.Name))} on {string.Join(", ", HeChunkServer.Addresses(app))} ({(options.RedisConnectionString is null ? $"embedded silo, key sets in {Path.GetFullPath(options.KeyStorePath)}" : $"cluster '{options.ClusterId}' through Redis")}); Ctrl+C stops");
            app.WaitForShutdownAsync().GetAwaiter().GetResult();
            return HeChunkCli.Success;
        });
        return command;
    }
}
