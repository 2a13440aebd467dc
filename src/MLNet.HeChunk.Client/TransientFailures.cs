using Grpc.Core;

namespace MLNet.HeChunk.Client;

/// <summary>
/// Which failures are worth retrying: the server is unreachable, restarting or lost a silo (Unavailable, Aborted), it
/// shed an image at its admission limit (ResourceExhausted in an image's reply; a ResourceExhausted that ends a whole
/// call is an oversized message, which is final), or it reset the call while the caller did not cancel.
/// </summary>
internal static class TransientFailures
{
    /// <summary>Whether a failed image's status (from its reply) is worth resending.</summary>
    public static bool IsTransientReply(StatusCode status) => status is StatusCode.Unavailable or StatusCode.Aborted or StatusCode.ResourceExhausted;

    /// <summary>Whether a failed call is worth retrying.</summary>
    public static bool IsTransientCall(RpcException e, bool callerCancelled) => e.StatusCode switch
    {
        StatusCode.Unavailable or StatusCode.Aborted => true,
        StatusCode.ResourceExhausted => e.Trailers.GetValue(ShedMarker) is not null,
        StatusCode.Cancelled => !callerCancelled,
        _ => false,
    };

    /// <summary>Marks a ResourceExhausted the client raises itself for images the server shed (retried).</summary>
    public const string ShedMarker = "hechunk-shed";
}
