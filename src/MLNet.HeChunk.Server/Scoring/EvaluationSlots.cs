using Microsoft.Extensions.Options;

namespace MLNet.HeChunk.Server.Scoring;

/// <summary>The silo's evaluation slots: at most <see cref="HeChunkServerOptions.MaxConcurrentImages"/> images evaluate at once.</summary>
public sealed class EvaluationSlots
{
    private readonly SemaphoreSlim _slots;
    private long _evaluated;

    /// <summary>Creates the slots from the options.</summary>
    public EvaluationSlots(IOptions<HeChunkServerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _slots = new SemaphoreSlim(options.Value.MaxConcurrentImages, options.Value.MaxConcurrentImages);
    }

    /// <summary>Waits for a slot.</summary>
    public Task EnterAsync() => _slots.WaitAsync();

    /// <summary>Images evaluated by this silo since it started (a slot taken and returned).</summary>
    public long Evaluated => Interlocked.Read(ref _evaluated);

    /// <summary>Returns a slot.</summary>
    public void Exit()
    {
        Interlocked.Increment(ref _evaluated);
        _slots.Release();
    }
}
