using TorchSharp;

namespace MLNet.HeChunk.Training;

/// <summary>Trains the chunk CNN (square activations, per-chunk layers, mean over chunks) for encrypted inference.</summary>
public static class ChunkCnnTrainer
{
    /// <summary>
    /// Recommended loop settings for the square-activation network, tuned on NEU-CLS
    /// (docs/training.md): gradient clipping and weight decay, because squares turn a large weight
    /// into a very large activation (and a non-finite loss) quickly; no label smoothing (it kept the
    /// logits about 4x smaller but cost the per-chunk model a point of accuracy on NEU-CLS; the
    /// export divides the logits down for CKKS anyway); many
    /// cheap epochs with a slowly decaying learning rate and a patient early stop, because the
    /// validation accuracy of this small model is noisy from epoch to epoch; and nearest-pixel
    /// augmentation, which does not blur the fine texture the model's features measure.
    /// </summary>
    public static TrainingOptions DefaultTrainingOptions { get; } = new()
    {
        LearningRate = 2e-3,
        LearningRateDecay = 0.99,
        WeightDecay = 1e-4,
        GradientClipNorm = 1.0,
        MaxEpochs = 500,
        Patience = 150,
        Augmentation = new AugmentationOptions { NearestNeighbor = true },
    };

    /// <summary>
    /// Trains a chunk CNN on <paramref name="data"/>: a validation split is carved out per
    /// <see cref="TrainingOptions.ValidationFraction"/>, the input normalization is fitted on the
    /// rest, and the magnitudes of all intermediates are measured on the whole of <paramref name="data"/>.
    /// </summary>
    /// <remarks>
    /// Runs are serialized within a process (one at a time): libtorch's random generator and
    /// thread count are process-wide, and interleaved runs would not be reproducible from their seeds.
    /// </remarks>
    /// <param name="data">Training images and labels.</param>
    /// <param name="model">Chunk and layer sizes; <see cref="ChunkCnnOptions.Stride7"/> (the defaults) when null.</param>
    /// <param name="options">Loop settings; <see cref="DefaultTrainingOptions"/> when null.</param>
    /// <param name="progress">Receives each epoch's figures.</param>
    /// <param name="cancellationToken">Checked before each epoch.</param>
    public static TrainedChunkCnn Train(
        ImageDataset data,
        ChunkCnnOptions? model = null,
        TrainingOptions? options = null,
        IProgress<EpochProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        model ??= ChunkCnnOptions.Stride7;
        options ??= DefaultTrainingOptions;
        options.Validate();
        model.Validate(data.Height, data.Width);
        using Lock.Scope gate = TorchSetup.TrainingGate.EnterScope();
        TorchSetup.Apply(options);

        (ImageDataset train, ImageDataset? validation) = ValidationSplit.Split(data, options.ValidationFraction, options.Seed);
        InputNormalization normalization = InputNormalization.FromData(train);
        DescriptorNormalization? descriptorNormalization = data.Descriptors is null ? null : DescriptorNormalization.FromData(train);
        torch.manual_seed(options.Seed);
        var network = new ChunkCnn(data.Height, data.Width, data.ClassCount, model, normalization, descriptorNormalization);
        try
        {
            TrainingHistory history = ClassifierTrainer.Train(network, network.Forward, train, validation, options, progress, cancellationToken);
            var (bounds, headHidden) = ChunkCnnBoundsMeter.Measure(network, data, 128);
            return new TrainedChunkCnn(network, history, bounds, headHidden);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
