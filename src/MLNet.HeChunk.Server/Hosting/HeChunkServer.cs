using System.Net;
using Grpc.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MLNet.HeChunk.Server.Models;
using MLNet.HeChunk.Server.Scoring;
using MLNet.HeChunk.Server.Tenants;
using Orleans.Configuration;

namespace MLNet.HeChunk.Server.Hosting;

/// <summary>
/// Builds the encrypted scoring server: Kestrel (HTTP/2; plain on 127.0.0.1 by default, TLS through the "Kestrel"
/// configuration section), the gRPC service with tenant authentication, the gRPC health service (not serving until
/// the models are loaded), and an Orleans silo in the same process, embedded (localhost clustering, key sets in a
/// folder) or joined to a Redis cluster.
/// </summary>
public static class HeChunkServer
{
    /// <summary>Builds the server; start it with <c>StartAsync</c> or <c>RunAsync</c>.</summary>
    /// <param name="options">Models, credentials, store, cluster, ports and limits.</param>
    /// <param name="configuration">Extra configuration (for example a "Kestrel" section with TLS endpoints); may be null.</param>
    /// <param name="minimumLogLevel">The least severe log level written to the console.</param>
    /// <exception cref="ArgumentException">The options are inconsistent (the message names the setting).</exception>
    public static WebApplication Build(HeChunkServerOptions options, IConfiguration? configuration = null, LogLevel minimumLogLevel = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Logging.AddFilter("Orleans", minimumLogLevel < LogLevel.Warning ? LogLevel.Warning : minimumLogLevel);
        builder.Logging.AddFilter("Microsoft", minimumLogLevel < LogLevel.Warning ? LogLevel.Warning : minimumLogLevel);

        bool kestrelConfigured = builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (kestrelConfigured)
            {
                kestrel.Configure(builder.Configuration.GetSection("Kestrel"));
            }
            else
            {
                kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http2);
            }

            // Chunk groups are megabytes: wide HTTP/2 windows keep a stream from stalling on flow control.
            kestrel.Limits.Http2.InitialConnectionWindowSize = 32 << 20;
            kestrel.Limits.Http2.InitialStreamWindowSize = 16 << 20;
            kestrel.Limits.MaxRequestBodySize = null;
        });

        builder.Services.AddSingleton<TenantAuthenticator>();
        builder.Services.AddSingleton<TenantInterceptor>();
        builder.Services.AddSingleton<AdmissionGate>();
        builder.Services.AddSingleton<KeySets.ValidatedKeySets>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = options.MaxRequestBytes;
            grpc.MaxSendMessageSize = null;
            grpc.EnableDetailedErrors = false;
            grpc.Interceptors.Add<TenantInterceptor>();
        });
        builder.Services.AddGrpcHealthChecks(health => health.UseHealthChecksCache = false).AddCheck<ModelsReadyHealthCheck>("models");
        builder.Services.AddHeChunkSilo(options);

        builder.UseOrleans(silo =>
        {
            if (options.RedisConnectionString is { } redis)
            {
                silo.UseRedisClustering(redis);
                silo.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
                silo.ConfigureEndpoints(IPAddress.Loopback, options.SiloPort, options.GatewayPort);
            }
            else
            {
                IPEndPoint? primary = options.PrimarySiloPort is { } port ? new IPEndPoint(IPAddress.Loopback, port) : null;
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, primary, options.ServiceId, options.ClusterId);
            }

            silo.Configure<GrainCollectionOptions>(collection => collection.CollectionAge = options.KeySetIdleTimeout);
        });

        WebApplication app = builder.Build();
        app.MapGrpcService<EncryptedScoringService>();
        app.MapGrpcHealthChecksService();
        return app;
    }

    /// <summary>The addresses a started server listens on (resolves port 0 to the port taken).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
    }
}
