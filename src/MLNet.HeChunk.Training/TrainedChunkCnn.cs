using MLNet.HeChunk.Cnn;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>A trained <see cref="ChunkCnn"/> with its training record and activation magnitudes.</summary>
public sealed class TrainedChunkCnn : IDisposable
{
    internal TrainedChunkCnn(ChunkCnn model, TrainingHistory history, ChunkCnnActivationBounds bounds, double headHiddenBound = 0)
    {
        HeadHiddenBound = headHiddenBound;
        Model = model;
        History = history;
        Bounds = bounds;
    }

    /// <summary>The TorchSharp module, in evaluation mode.</summary>
    public ChunkCnn Model { get; }

    /// <summary>Per-epoch figures and the epoch that was kept.</summary>
    public TrainingHistory History { get; }

    /// <summary>Largest absolute value of each intermediate on the training data (validation part included, no augmentation).</summary>
    public ChunkCnnActivationBounds Bounds { get; }

    /// <summary>Largest |pre-square hidden value| of the descriptor head on the training data (0 without a head).</summary>
    public double HeadHiddenBound { get; }

    /// <summary>Logits computed by TorchSharp (float32), one array per image.</summary>
    public double[][] Logits(IReadOnlyList<float[]> images) => Logits(images, null);

    /// <summary>Logits for images and, for a model with a descriptor head, their descriptors.</summary>
    /// <exception cref="ArgumentException">The model has a descriptor head and no descriptors are given.</exception>
    public double[][] Logits(IReadOnlyList<float[]> images, IReadOnlyList<float[]>? descriptors)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = torch.NewDisposeScope();
        Tensor batch = TensorData.Images(images, Model.Height, Model.Width);
        Tensor? side = Model.HasDescriptorHead ? TensorData.Descriptors(descriptors ?? throw new ArgumentException("The model has a descriptor head: pass the descriptors.", nameof(descriptors))) : null;
        return ModelEvaluation.ToArrays(ModelEvaluation.Logits(Model, Model.Forward, batch, side, 256));
    }

    /// <summary>Fraction of <paramref name="data"/> classified correctly.</summary>
    public double Accuracy(ImageDataset data) => TrainedModelScoring.Accuracy(Model, data);

    /// <summary>
    /// The weights as a TorchSharp-free <see cref="ChunkCnnWeights"/>, FC2 divided by
    /// <paramref name="logitScale"/> (1 keeps the logits as trained; the predicted class never changes).
    /// </summary>
    public ChunkCnnWeights Export(double logitScale = 1.0)
    {
        if (!double.IsFinite(logitScale) || logitScale <= 0)
            throw new ArgumentOutOfRangeException(nameof(logitScale), logitScale, "Must be finite and positive.");
        ChunkCnnOptions o = Model.Options;
        (double[] fc1Weights, double[] fc1Bias) = FoldedFc1();
        var unscaled = new ChunkCnnWeights(
            Model.Height, Model.Width, o.ChunkSize, o.KernelSize, o.Stride, o.Channels, o.HiddenSize, Model.ClassCount,
            Model.Normalization.Scale, Model.Normalization.Offset,
            ToDoubles(Model.Conv.weight!), ToDoubles(Model.Conv.bias!),
            fc1Weights, fc1Bias,
            ToDoubles(Model.Fc2.weight!), ToDoubles(Model.Fc2.bias!),
            1.0, Bounds, FoldedHead());
        return logitScale == 1.0 ? unscaled : unscaled.WithLogitsDividedBy(logitScale);
    }

    /// <summary>
    /// Like <see cref="Export"/>, choosing the logit scale so that the largest logit magnitude seen on
    /// the training data becomes at most <paramref name="maxAbsLogit"/> (no scaling when it already is).
    /// </summary>
    public ChunkCnnWeights ExportWithLogitBound(double maxAbsLogit)
    {
        if (!double.IsFinite(maxAbsLogit) || maxAbsLogit <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxAbsLogit), maxAbsLogit, "Must be finite and positive.");
        return Export(Math.Max(1.0, Bounds.Logits / maxAbsLogit));
    }

    /// <summary>
    /// FC1 with the training-time batch normalizations folded in (evaluation mode: running statistics).
    /// A normalization <c>y = a ⊙ x + c</c> with <c>a = γ / sqrt(var + ε)</c>, <c>c = β - mean · a</c>
    /// before FC1 turns <c>W y + b</c> into <c>(W diag a) x + (W c + b)</c>; one after FC1 scales row j
    /// of W and b by <c>a_j</c> and adds <c>c_j</c> to the bias. Folding happens in double precision.
    /// </summary>
    private (double[] Weights, double[] Bias) FoldedFc1()
    {
        int inputs = Model.Options.TrainedFc1Inputs, outputs = Model.Options.HiddenSize;
        double[] w = ToDoubles(Model.Fc1.weight!);
        double[] b = ToDoubles(Model.Fc1.bias!);
        if (Model.FeatureNorm is { } fn)
        {
            (double[] a, double[] c) = AffineOf(fn);
            for (int j = 0; j < outputs; j++)
            {
                double shift = 0;
                for (int i = 0; i < inputs; i++)
                {
                    shift += w[j * inputs + i] * c[i];
                    w[j * inputs + i] *= a[i];
                }
                b[j] += shift;
            }
        }
        if (Model.HiddenNorm is { } hn)
        {
            (double[] a, double[] c) = AffineOf(hn);
            for (int j = 0; j < outputs; j++)
            {
                for (int i = 0; i < inputs; i++)
                    w[j * inputs + i] *= a[j];
                b[j] = b[j] * a[j] + c[j];
            }
        }
        if (Model.Options.TiePositions)
        {
            // FC1 was trained on each filter's mean over its P positions: spread weight (j, c) as w / P
            // over the P features of filter c (channel-major layout).
            int positions = Model.Options.ConvOutputSize * Model.Options.ConvOutputSize;
            int features = Model.Options.FeatureLength;
            var spread = new double[outputs * features];
            for (int j = 0; j < outputs; j++)
            {
                for (int c = 0; c < inputs; c++)
                {
                    double value = w[j * inputs + c] / positions;
                    for (int p = 0; p < positions; p++)
                        spread[j * features + c * positions + p] = value;
                }
            }
            w = spread;
        }
        return (w, b);
    }

    /// <summary>The descriptor head with the standardization and the batch normalization folded into its first layer.</summary>
    private DescriptorHead? FoldedHead()
    {
        if (Model.HeadFc1 is null || Model.DescriptorNormalization is null)
            return null;
        DescriptorNormalization norm = Model.DescriptorNormalization;
        int inputs = norm.Mean.Length, hidden = Model.Options.DescriptorHiddenSize;
        double[] w = ToDoubles(Model.HeadFc1.weight!), b = ToDoubles(Model.HeadFc1.bias!);
        (double[] a, double[] c) = AffineOf(Model.HeadNorm!);
        var folded = new double[w.Length];
        var bias = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            double shift = b[j];
            for (int i = 0; i < inputs; i++)
            {
                double weight = w[j * inputs + i] * norm.InverseStd[i];
                shift -= weight * norm.Mean[i];
                folded[j * inputs + i] = a[j] * weight;
            }
            bias[j] = a[j] * shift + c[j];
        }
        return new DescriptorHead(inputs, hidden, Model.ClassCount, folded, bias, ToDoubles(Model.HeadFc2!.weight!), ToDoubles(Model.HeadFc2.bias!), HeadHiddenBound);
    }

    private static (double[] Scale, double[] Shift) AffineOf(TorchSharp.Modules.BatchNorm1d norm)
    {
        double[] mean = ToDoubles(norm.running_mean!), variance = ToDoubles(norm.running_var!);
        double[] gamma = ToDoubles(norm.weight!), beta = ToDoubles(norm.bias!);
        var scale = new double[mean.Length];
        var shift = new double[mean.Length];
        for (int i = 0; i < mean.Length; i++)
        {
            scale[i] = gamma[i] / Math.Sqrt(variance[i] + ChunkCnn.BatchNormEpsilon);
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        return (scale, shift);
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();

    private static double[] ToDoubles(Tensor t)
    {
        using Tensor cpu = t.detach().cpu().contiguous();
        return cpu.data<float>().ToArray().Select(v => (double)v).ToArray();
    }
}
