namespace MLNet.HeChunk.Training;

/// <summary>What one training epoch achieved, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean cross-entropy over the epoch's (augmented) training batches.</param>
/// <param name="TrainAccuracy">Accuracy on the epoch's (augmented) training batches, in training mode.</param>
/// <param name="ValidationAccuracy">Accuracy on the held-out validation images, or null without a validation split.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the validation images, or null without a validation split.</param>
/// <param name="Seconds">Wall-clock seconds the epoch took, validation included.</param>
/// <param name="IsBest">Whether this epoch's weights are the best so far (the ones kept).</param>
public sealed record EpochProgress(
    int Epoch,
    double Loss,
    double TrainAccuracy,
    double? ValidationAccuracy,
    double? ValidationLoss,
    double Seconds,
    bool IsBest);
