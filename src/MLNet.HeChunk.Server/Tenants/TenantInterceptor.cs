using Grpc.Core;
using Grpc.Core.Interceptors;

namespace MLNet.HeChunk.Server.Tenants;

/// <summary>
/// Authenticates every call of the scoring service: the credential comes from the <c>x-api-key</c> header or from
/// <c>authorization: Bearer ...</c>. A call without one fails with Unauthenticated, a wrong one with Unauthenticated too
/// (the message never repeats the credential). The health service is left open for probes.
/// </summary>
internal sealed class TenantInterceptor(TenantAuthenticator authenticator) : Interceptor
{
    /// <summary>The header carrying an API key.</summary>
    public const string ApiKeyHeader = "x-api-key";

    private const string TenantKey = "hechunk-tenant";

    /// <summary>The tenant authenticated for this call.</summary>
    public static string TenantOf(ServerCallContext context) =>
        context.UserState.TryGetValue(TenantKey, out object? tenant) && tenant is string name
            ? name
            : throw new RpcException(new Status(StatusCode.Unauthenticated, "the call was not authenticated"));

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        if (context.Method.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal))
        {
            return;
        }

        string? credential = context.RequestHeaders.GetValue(ApiKeyHeader);
        string? authorization = context.RequestHeaders.GetValue("authorization");
        if (credential is null && authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            credential = authorization["Bearer ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(credential))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                $"no credential: send an API key in the '{ApiKeyHeader}' header or 'authorization: Bearer <token>'"));
        }

        string tenant = authenticator.Authenticate(credential)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "the credential is not valid for this server"));
        context.UserState[TenantKey] = tenant;
    }
}
