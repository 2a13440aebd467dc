using Microsoft.Extensions.Options;

namespace MLNet.HeChunk.Server.Scoring;

/// <summary>
/// Load shedding at the front end: at most MaxConcurrentImages + MaxQueuedImages images are admitted at once across
/// every call of this process; one more is answered at once with a ResourceExhausted reply (which clients resend after
/// a back-off) instead of queueing without bound.
/// </summary>
public sealed class AdmissionGate
{
    private readonly int _limit;
    private int _admitted;

    /// <summary>Creates the gate from the options.</summary>
    public AdmissionGate(IOptions<HeChunkServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _limit = options.Value.MaxConcurrentImages + options.Value.MaxQueuedImages;
    }

    /// <summary>Images admitted right now.</summary>
    public int Admitted => Volatile.Read(ref _admitted);

    /// <summary>Why an image was refused (the message sent with ResourceExhausted).</summary>
    public string RefusalMessage => $"the server is at its admission limit ({_limit} images in flight); retry after a back-off";

    /// <summary>Admits one image, or returns null when the limit is reached; dispose the result when the image is done.</summary>
    public Admission? TryEnter()
    {
        if (Interlocked.Increment(ref _admitted) > _limit)
        {
            Interlocked.Decrement(ref _admitted);
            return null;
        }

        return new Admission(this);
    }

    private void Leave() => Interlocked.Decrement(ref _admitted);

    /// <summary>One admitted image; disposing it frees its place.</summary>
    public sealed class Admission : IDisposable
    {
        private AdmissionGate? _gate;

        internal Admission(AdmissionGate gate) => _gate = gate;

        /// <inheritdoc/>
        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Leave();
    }
}
