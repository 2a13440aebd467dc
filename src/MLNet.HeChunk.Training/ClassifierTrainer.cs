using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>
/// The training loop both models share: Adam on cross-entropy, seeded shuffling and augmentation,
/// optional gradient clipping and learning-rate decay, early stopping on a validation set, and
/// the best epoch's weights restored at the end.
/// </summary>
internal static class ClassifierTrainer
{
    public static TrainingHistory Train(nn.Module<Tensor, Tensor> model, ImageDataset train, ImageDataset? validation, TrainingOptions options,
        IProgress<EpochProgress>? progress, CancellationToken cancellationToken) =>
        Train(model, (images, _) => model.forward(images), train, validation, options, progress, cancellationToken);

    /// <summary>Trains <paramref name="model"/> through <paramref name="forward"/>, which gets a batch of images and, when the data set has them, its descriptors.</summary>
    public static TrainingHistory Train(
        nn.Module model,
        Func<Tensor, Tensor?, Tensor> forward,
        ImageDataset train,
        ImageDataset? validation,
        TrainingOptions options,
        IProgress<EpochProgress>? progress,
        CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        // Separate streams, so that changing the augmentation does not change the batch order.
        var shuffleRandom = new Random(options.Seed);
        var augmenter = new ImageAugmenter(options.Augmentation, new Random(unchecked(options.Seed * 31 + 17)));

        using Tensor trainImages = TensorData.Images(train.Images, train.Height, train.Width);
        using Tensor trainLabels = TensorData.Labels(train.Labels);
        using Tensor? trainDescriptors = TensorData.Descriptors(train.Descriptors);
        using Tensor? validationDescriptors = validation is null ? null : TensorData.Descriptors(validation.Descriptors);
        using Tensor? classWeights = options.BalanceClasses ? BalancingWeights(train) : null;
        using Tensor? validationImages = validation is null ? null : TensorData.Images(validation.Images, validation.Height, validation.Width);
        using Tensor? validationLabels = validation is null ? null : TensorData.Labels(validation.Labels);

        using var optimizer = torch.optim.Adam(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        var scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, options.LearningRateDecay);

        var epochs = new List<EpochProgress>();
        Dictionary<string, Tensor>? bestState = null;
        int bestEpoch = 0, sinceBest = 0;
        double bestAccuracy = double.NegativeInfinity, bestLoss = double.PositiveInfinity;
        bool stoppedEarly = false;
        int[] order = Enumerable.Range(0, train.Count).ToArray();

        try
        {
            for (int epoch = 1; epoch <= options.MaxEpochs; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                model.train();
                shuffleRandom.Shuffle(order);
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                for (int start = 0; start < order.Length; start += options.BatchSize)
                {
                    // A final batch of one image is skipped: batch normalization cannot train on a single
                    // sample, and with shuffling that image is seen in other epochs.
                    if (order.Length - start == 1 && start > 0)
                        break;
                    using var scope = torch.NewDisposeScope();
                    long[] batchIndices = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray().Select(i => (long)i).ToArray();
                    Tensor index = torch.tensor(batchIndices);
                    Tensor images = augmenter.Apply(trainImages.index_select(0, index));
                    Tensor labels = trainLabels.index_select(0, index);
                    Tensor? descriptors = trainDescriptors?.index_select(0, index);
                    optimizer.zero_grad();
                    Tensor logits = forward(images, descriptors);
                    Tensor loss = nn.functional.cross_entropy(logits, labels, weight: classWeights, label_smoothing: options.LabelSmoothing);
                    loss.backward();
                    if (options.GradientClipNorm > 0)
                        nn.utils.clip_grad_norm_(model.parameters(), options.GradientClipNorm);
                    optimizer.step();
                    lossSum += loss.item<float>() * batchIndices.Length;
                    seen += batchIndices.Length;
                    correct += logits.argmax(1).eq(labels).sum().item<long>();
                }
                double meanLoss = lossSum / seen;
                if (!double.IsFinite(meanLoss))
                {
                    throw new InvalidOperationException(
                        $"Training diverged at epoch {epoch} (loss {meanLoss}). Lower the learning rate, or enable gradient clipping or weight decay.");
                }

                double? validationAccuracy = null, validationLoss = null;
                bool isBest;
                if (validationImages is not null && validationLabels is not null)
                {
                    (double accuracy, double vloss) = ModelEvaluation.Score(model, forward, validationImages, validationDescriptors, validationLabels, options.BatchSize * 4);
                    validationAccuracy = accuracy;
                    validationLoss = vloss;
                    // Accuracy first; on a small validation set it often ties, and then the lower loss is the better model.
                    isBest = options.SelectOnValidationLoss
                        ? vloss < bestLoss - options.MinValidationLossDelta
                        : accuracy > bestAccuracy || (accuracy == bestAccuracy && vloss < bestLoss - options.MinValidationLossDelta);
                    if (isBest)
                    {
                        bestAccuracy = accuracy;
                        bestLoss = vloss;
                    }
                }
                else
                {
                    // Without validation there is nothing to select on: the last epoch is kept.
                    isBest = true;
                }

                if (isBest)
                {
                    DisposeState(bestState);
                    bestState = Snapshot(model);
                    bestEpoch = epoch;
                    sinceBest = 0;
                }
                else
                {
                    sinceBest++;
                }
                scheduler.step();
                var figures = new EpochProgress(epoch, meanLoss, (double)correct / seen, validationAccuracy, validationLoss,
                    watch.Elapsed.TotalSeconds, isBest);
                epochs.Add(figures);
                progress?.Report(figures);
                if (sinceBest >= options.Patience)
                {
                    stoppedEarly = epoch < options.MaxEpochs;
                    break;
                }
            }

            if (bestState is not null)
                model.load_state_dict(bestState);
        }
        finally
        {
            DisposeState(bestState);
        }
        model.eval();
        return new TrainingHistory(epochs, bestEpoch, stoppedEarly, total.Elapsed.TotalSeconds);
    }

    /// <summary>Weights n / (K * n_k) for the cross-entropy: every class counts as much as in a balanced set (all 1 when it is balanced).</summary>
    private static Tensor BalancingWeights(ImageDataset train)
    {
        var counts = new double[train.ClassCount];
        foreach (int label in train.Labels)
            counts[label]++;
        return torch.tensor(counts.Select(c => c == 0 ? 0f : (float)(train.Count / (train.ClassCount * c))).ToArray());
    }

    private static Dictionary<string, Tensor> Snapshot(nn.Module model)
    {
        using var noGrad = torch.no_grad();
        return model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    private static void DisposeState(Dictionary<string, Tensor>? state)
    {
        if (state is null)
            return;
        foreach (Tensor t in state.Values)
            t.Dispose();
    }
}
