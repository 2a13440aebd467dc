namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the caller's thread. <see cref="Progress{T}"/> posts to the thread
/// pool, so its last reports could land after the step's progress bar was closed.
/// </summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
