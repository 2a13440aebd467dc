namespace MLNet.HeChunk.Persistence;

/// <summary>
/// Marks the stretch of code in which <see cref="HeChunkModel.Load(MLContext, string, out DataViewSchema)"/> lets
/// ML.NET read the model zip. ML.NET instantiates the CustomMapping factories synchronously inside
/// <c>Model.Load</c>; a factory asked for its mapping outside this scope knows the caller used the plain
/// <c>mlContext.Model.Load</c> and refuses with an explanation. An <see cref="AsyncLocal{T}"/> keeps concurrent
/// loads on other threads or async flows from seeing each other's scope.
/// </summary>
internal static class HeChunkLoadScope
{
    private static readonly AsyncLocal<int> Depth = new();

    public static bool IsActive => Depth.Value > 0;

    public static IDisposable Enter()
    {
        Depth.Value++;
        return new Exit();
    }

    private sealed class Exit : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            Depth.Value--;
        }
    }
}
