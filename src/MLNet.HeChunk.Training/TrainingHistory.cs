namespace MLNet.HeChunk.Training;

/// <summary>The record of one training run.</summary>
/// <param name="Epochs">Every epoch's figures, in order.</param>
/// <param name="BestEpoch">The epoch whose weights were kept.</param>
/// <param name="StoppedEarly">True when patience ran out before <see cref="TrainingOptions.MaxEpochs"/>.</param>
/// <param name="TotalSeconds">Wall-clock seconds of the whole run.</param>
public sealed record TrainingHistory(IReadOnlyList<EpochProgress> Epochs, int BestEpoch, bool StoppedEarly, double TotalSeconds)
{
    /// <summary>Mean seconds per epoch.</summary>
    public double SecondsPerEpoch => Epochs.Count == 0 ? 0 : Epochs.Average(e => e.Seconds);
}
