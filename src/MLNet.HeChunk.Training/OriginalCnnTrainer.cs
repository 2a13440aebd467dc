using TorchSharp;

namespace MLNet.HeChunk.Training;

/// <summary>Trains the paper's plaintext baseline CNN (ReLU, max-pooling).</summary>
public static class OriginalCnnTrainer
{
    /// <summary>Recommended loop settings for the baseline.</summary>
    public static TrainingOptions DefaultTrainingOptions { get; } = new()
    {
        LearningRate = 1e-3,
        LearningRateDecay = 0.97,
        WeightDecay = 1e-4,
        MaxEpochs = 60,
        Patience = 15,
    };

    /// <summary>
    /// Trains a baseline CNN on <paramref name="data"/>, with a validation split carved out per
    /// <see cref="TrainingOptions.ValidationFraction"/> and the input normalization fitted on the rest.
    /// </summary>
    /// <remarks>
    /// Runs are serialized within a process (one at a time): libtorch's random generator and
    /// thread count are process-wide, and interleaved runs would not be reproducible from their seeds.
    /// </remarks>
    /// <param name="data">Training images and labels.</param>
    /// <param name="model">Layer sizes; defaults when null.</param>
    /// <param name="options">Loop settings; <see cref="DefaultTrainingOptions"/> when null.</param>
    /// <param name="progress">Receives each epoch's figures.</param>
    /// <param name="cancellationToken">Checked before each epoch.</param>
    public static TrainedOriginalCnn Train(
        ImageDataset data,
        OriginalCnnOptions? model = null,
        TrainingOptions? options = null,
        IProgress<EpochProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        model ??= new OriginalCnnOptions();
        options ??= DefaultTrainingOptions;
        options.Validate();
        model.Validate(data.Height, data.Width);
        using Lock.Scope gate = TorchSetup.TrainingGate.EnterScope();
        TorchSetup.Apply(options);

        (ImageDataset train, ImageDataset? validation) = ValidationSplit.Split(data, options.ValidationFraction, options.Seed);
        InputNormalization normalization = InputNormalization.FromData(train);
        torch.manual_seed(options.Seed);
        var network = new OriginalCnn(data.Height, data.Width, data.ClassCount, model, normalization);
        try
        {
            TrainingHistory history = ClassifierTrainer.Train(network, train, validation, options, progress, cancellationToken);
            return new TrainedOriginalCnn(network, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
