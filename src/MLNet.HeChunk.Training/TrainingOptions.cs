namespace MLNet.HeChunk.Training;

/// <summary>Settings of the training loop shared by both models (Adam, cross-entropy, early stopping).</summary>
public sealed record TrainingOptions
{
    /// <summary>Seed of every random choice (initialization, validation split, shuffling, augmentation, dropout).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Upper bound on the number of passes over the training data.</summary>
    public int MaxEpochs { get; init; } = 60;

    /// <summary>Stop after this many epochs without a better validation result.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Fraction of each class held out of the training data for validation (0 disables early stopping).</summary>
    public double ValidationFraction { get; init; } = 0.15;

    /// <summary>
    /// How much the validation loss must fall to count as an improvement (so that a run creeping
    /// down by rounding noise still stops): on equal validation accuracy, or on every comparison
    /// with <see cref="SelectOnValidationLoss"/>.
    /// </summary>
    public double MinValidationLossDelta { get; init; } = 1e-4;

    /// <summary>
    /// Keep the epoch with the lowest validation loss (up to <see cref="MinValidationLossDelta"/>)
    /// instead of the highest validation accuracy (the default compares accuracy first, the loss only
    /// on ties). On a small validation set the accuracy saturates and ties early, so accuracy-first
    /// can keep an early epoch; the loss keeps moving.
    /// </summary>
    public bool SelectOnValidationLoss { get; init; }

    /// <summary>
    /// Label smoothing of the training cross-entropy (0 = plain cross-entropy): the target puts
    /// this much probability mass evenly over all classes, which discourages the very large
    /// logits a square network can otherwise produce.
    /// </summary>
    public double LabelSmoothing { get; init; }

    /// <summary>Images per optimization step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam's learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Multiplier applied to the learning rate after every epoch (1 keeps it constant).</summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>L2 penalty added by Adam to every weight's gradient.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Largest global gradient norm; larger gradients are scaled down to it (0 or less disables clipping).</summary>
    public double GradientClipNorm { get; init; }

    /// <summary>Augmentation of training images; <see cref="AugmentationOptions.None"/> disables it.</summary>
    public AugmentationOptions Augmentation { get; init; } = new();

    /// <summary>
    /// Number of CPU threads libtorch may use, set process-wide for the run (0 leaves libtorch's
    /// default, one per core). The default is 1: the chunk CNN's small convolutions gain nothing
    /// from a second thread, and when other processes keep the cores busy, libtorch's spinning
    /// worker threads made epochs 10-50 times slower (docs/training.md). On an idle machine the
    /// baseline CNN trains faster with 0.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Weight each class's cross-entropy by n / (K * n_k), so an unbalanced training set trains as a balanced one (no
    /// effect on a balanced set). On by default.
    /// </summary>
    public bool BalanceClasses { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEpochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Patience);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(Threads);
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "Must be within [0, 1).");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "Must be finite and positive.");
        if (!(LearningRateDecay > 0 && LearningRateDecay <= 1))
            throw new ArgumentOutOfRangeException(nameof(LearningRateDecay), LearningRateDecay, "Must be within (0, 1].");
        if (!(MinValidationLossDelta >= 0))
            throw new ArgumentOutOfRangeException(nameof(MinValidationLossDelta), MinValidationLossDelta, "Must not be negative.");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), LabelSmoothing, "Must be within [0, 1).");
        if (!(WeightDecay >= 0))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Must not be negative.");
        ArgumentNullException.ThrowIfNull(Augmentation);
        Augmentation.Validate();
    }
}
