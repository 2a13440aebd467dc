using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MLNet.HeChunk.Server.KeySets;
using MLNet.HeChunk.Server.Models;
using MLNet.HeChunk.Server.Scoring;
using StackExchange.Redis;

namespace MLNet.HeChunk.Server.Hosting;

/// <summary>
/// The services a silo's key-set grains need (model catalog and its loader, key-set store, evaluation slots), shared
/// by the full server and by test clusters that host only silos.
/// </summary>
public static class HeChunkSiloServices
{
    /// <summary>Registers the grain-side services for <paramref name="options"/>.</summary>
    public static IServiceCollection AddHeChunkSilo(this IServiceCollection services, HeChunkServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<ModelCatalog>();
        services.AddHostedService<ModelLoader>();
        services.AddSingleton<EvaluationSlots>();
        if (options.RedisConnectionString is { } redis)
        {
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
            services.AddSingleton<IKeySetStore>(sp => new RedisKeySetStore(sp.GetRequiredService<IConnectionMultiplexer>(), options.ServiceId));
        }
        else
        {
            services.AddSingleton<IKeySetStore>(_ => new FileKeySetStore(options.KeyStorePath));
        }

        return services;
    }
}
