using TorchSharp;

namespace MLNet.HeChunk.Training;

/// <summary>Process-wide libtorch state a training run depends on.</summary>
internal static class TorchSetup
{
    /// <summary>
    /// Held for a whole training run. libtorch's random generator (initialization, dropout) and its
    /// thread count are global to the process, so two runs interleaving would make each other's
    /// results depend on timing; serializing them keeps every run reproducible from its seed.
    /// </summary>
    public static readonly Lock TrainingGate = new();

    public static void Apply(TrainingOptions options)
    {
        if (options.Threads > 0)
            torch.set_num_threads(options.Threads);
    }
}
