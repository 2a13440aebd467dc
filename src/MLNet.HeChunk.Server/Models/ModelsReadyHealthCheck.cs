using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MLNet.HeChunk.Server.Models;

/// <summary>Readiness: healthy once every configured model is loaded (reported through the gRPC health service).</summary>
internal sealed class ModelsReadyHealthCheck(ModelCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(catalog.IsReady
            ? HealthCheckResult.Healthy($"serving {string.Join(", ", catalog.Names)}")
            : HealthCheckResult.Unhealthy(catalog.Failure is null ? "models are loading" : $"model loading failed: {catalog.Failure}"));
}
