using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>
/// The chunk CNN for encrypted inference, as a TorchSharp module: normalize, cut into chunks,
/// per chunk with shared weights a 7x7 convolution, square, FC1, square; the mean over the chunks; FC2.
/// </summary>
/// <remarks>
/// Only additions, multiplications by constants and squares: exactly what CKKS evaluates.
/// The chunks are combined by a mean of their squared hidden units (not a concatenation), so the encrypted
/// evaluator can sum the chunks' segments. Combining after FC1 rather than before it lets FC1 and its square see
/// how the responses of one chunk's positions go together (shapes up to the chunk's size), which lifted NEU-CLS
/// test accuracy from 92.7 % to about 95 % (docs/training.md). <see cref="Cnn.ChunkCnnWeights"/> documents the same
/// computation without TorchSharp; <see cref="Cnn.ChunkCnnReferenceForward"/> evaluates it.
/// </remarks>
public sealed class ChunkCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly BatchNorm1d? featureNorm;
    private readonly BatchNorm1d? hiddenNorm;
    private readonly Dropout? featureDropout;
    private readonly Dropout? hiddenDropout;
    private readonly Linear? headFc1;
    private readonly BatchNorm1d? headNorm;
    private readonly Linear? headFc2;
    private readonly Tensor? descriptorMean;
    private readonly Tensor? descriptorInverseStd;

    /// <summary>Epsilon of the training-time batch normalizations (needed again when folding them).</summary>
    internal const double BatchNormEpsilon = 1e-5;

    /// <summary>Creates a freshly initialized chunk CNN (initialization draws from torch's global generator).</summary>
    public ChunkCnn(int height, int width, int classCount, ChunkCnnOptions options, InputNormalization normalization)
        : this(height, width, classCount, options, normalization, null)
    {
    }

    /// <summary>
    /// Creates a freshly initialized chunk CNN with a descriptor head when <paramref name="descriptorNormalization"/> is given
    /// and <see cref="ChunkCnnOptions.DescriptorHiddenSize"/> is positive.
    /// </summary>
    public ChunkCnn(int height, int width, int classCount, ChunkCnnOptions options, InputNormalization normalization,
        DescriptorNormalization? descriptorNormalization)
        : base(nameof(ChunkCnn))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(normalization);
        options.Validate(height, width);
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A classifier needs at least 2 classes.");
        Height = height;
        Width = width;
        ClassCount = classCount;
        Options = options;
        Normalization = normalization;
        conv = nn.Conv2d(1, options.Channels, options.KernelSize, stride: options.Stride, bias: true);
        fc1 = nn.Linear(options.TrainedFc1Inputs, options.HiddenSize);
        fc2 = nn.Linear(options.HiddenSize, classCount);
        if (options.FoldedBatchNorm)
        {
            featureNorm = nn.BatchNorm1d(options.TrainedFc1Inputs, eps: BatchNormEpsilon);
            hiddenNorm = nn.BatchNorm1d(options.HiddenSize, eps: BatchNormEpsilon);
        }
        if (options.Dropout > 0)
        {
            featureDropout = nn.Dropout(options.Dropout);
            hiddenDropout = nn.Dropout(options.Dropout);
        }
        if (descriptorNormalization is not null && options.DescriptorHiddenSize > 0)
        {
            DescriptorNormalization = descriptorNormalization;
            int count = descriptorNormalization.Mean.Length;
            headFc1 = nn.Linear(count, options.DescriptorHiddenSize);
            headNorm = nn.BatchNorm1d(options.DescriptorHiddenSize, eps: BatchNormEpsilon);
            headFc2 = nn.Linear(options.DescriptorHiddenSize, classCount);
            descriptorMean = torch.tensor(descriptorNormalization.Mean.Select(v => (float)v).ToArray());
            descriptorInverseStd = torch.tensor(descriptorNormalization.InverseStd.Select(v => (float)v).ToArray());
        }
        InitializeForSquares();
        RegisterComponents();
    }

    /// <summary>The descriptor standardization, or null for a model without a descriptor head.</summary>
    public DescriptorNormalization? DescriptorNormalization { get; }

    /// <summary>True when the model has a descriptor head (and so needs descriptors).</summary>
    public bool HasDescriptorHead => headFc1 is not null;

    internal Linear? HeadFc1 => headFc1;

    internal BatchNorm1d? HeadNorm => headNorm;

    internal Linear? HeadFc2 => headFc2;

    /// <summary>Image height the model expects.</summary>
    public int Height { get; }

    /// <summary>Image width the model expects.</summary>
    public int Width { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Chunk and layer sizes.</summary>
    public ChunkCnnOptions Options { get; }

    /// <summary>The pixel normalization applied before the convolution.</summary>
    public InputNormalization Normalization { get; }

    internal Conv2d Conv => conv;

    internal Linear Fc1 => fc1;

    internal Linear Fc2 => fc2;

    internal BatchNorm1d? FeatureNorm => featureNorm;

    internal BatchNorm1d? HiddenNorm => hiddenNorm;

    /// <summary>Logits [B, K] for raw images [B, 1, H, W] on a 0-255 scale (a model with a descriptor head needs <see cref="Forward"/>).</summary>
    public override Tensor forward(Tensor input) => Stages(input, null).Logits;

    /// <summary>Logits [B, K] for raw images [B, 1, H, W] and their raw descriptors [B, D] (null for a model without a head).</summary>
    public Tensor Forward(Tensor images, Tensor? descriptors) => Stages(images, descriptors).Logits;

    /// <summary>
    /// Every intermediate of the forward pass (to measure magnitudes). With
    /// <see cref="ChunkCnnOptions.FoldedBatchNorm"/>, <see cref="ChunkCnnStages.Fc1Output"/> is taken
    /// after the hidden normalization: in evaluation mode that is what the folded FC1 computes.
    /// </summary>
    internal ChunkCnnStages Stages(Tensor input, Tensor? descriptors)
    {
        long batch = input.shape[0];
        int cs = Options.ChunkSize, down = Height / cs, across = Width / cs;
        Tensor x = input * Normalization.Scale + Normalization.Offset;
        // [B,1,H,W] -> [B, down, cs, across, cs] -> [B, down, across, cs, cs] -> [B*chunks, 1, cs, cs]:
        // chunks row-major over the grid, each chunk its own sample for the shared convolution.
        Tensor chunks = x.reshape(batch, down, cs, across, cs).permute(0, 1, 3, 2, 4).reshape(batch * down * across, 1, cs, cs);
        Tensor convOut = conv.forward(chunks);
        Tensor convSquared = convOut.square();
        int chunkCount = down * across;
        // Channel-major flattening per chunk; FC1 and its square per chunk (shared weights).
        Tensor perChunk = convSquared.reshape(batch * chunkCount, Options.FeatureLength);
        // With tied positions FC1 sees each filter's mean over its positions in the chunk; export spreads the
        // weights back over the positions, which computes the same thing.
        Tensor fc1In = Options.TiePositions
            ? perChunk.reshape(batch * chunkCount, Options.Channels, Options.ConvOutputSize * Options.ConvOutputSize).mean([2])
            : perChunk;
        if (featureNorm is not null)
            fc1In = featureNorm.forward(fc1In);
        if (featureDropout is not null)
            fc1In = featureDropout.forward(fc1In);
        Tensor fc1Out = fc1.forward(fc1In);
        if (hiddenNorm is not null)
            fc1Out = hiddenNorm.forward(fc1Out);
        Tensor fc1Squared = fc1Out.square();
        // The mean over the chunks of each image, then FC2.
        Tensor pooledHidden = fc1Squared.reshape(batch, chunkCount, Options.HiddenSize).mean([1]);
        Tensor logits = fc2.forward(hiddenDropout is null ? pooledHidden : hiddenDropout.forward(pooledHidden));
        Tensor? headHidden = null;
        if (headFc1 is not null)
        {
            if (descriptors is null)
                throw new ArgumentException("This chunk CNN has a descriptor head: pass the images' descriptors.", nameof(descriptors));
            Tensor d = (descriptors - descriptorMean!) * descriptorInverseStd!;
            if (training && Options.DescriptorNoise > 0)
                d = d + torch.randn_like(d) * Options.DescriptorNoise;
            headHidden = headNorm!.forward(headFc1.forward(d));
            logits = logits + headFc2!.forward(headHidden.square());
        }
        return new ChunkCnnStages(x, convOut, convSquared, fc1Out, fc1Squared, pooledHidden, logits, headHidden);
    }

    // Square activations compound scale: an output of magnitude m becomes m² after each square, so
    // too large a start explodes and too small a start leaves vanishing gradients. The default
    // (Kaiming-uniform, a = sqrt 5) already keeps a unit-spread input's conv outputs near 0.6;
    // FC1 is scaled so its output starts O(1) even though its inputs (squares) are all
    // positive and highly correlated, and FC2 starts small so early logits stay near zero.
    private void InitializeForSquares()
    {
        using var noGrad = torch.no_grad();
        double fanIn = Options.TrainedFc1Inputs;
        fc1.weight!.uniform_(-0.5 / Math.Sqrt(fanIn), 0.5 / Math.Sqrt(fanIn));
        fc1.bias!.zero_();
        fc2.weight!.mul_(0.5);
        fc2.bias!.zero_();
        if (headFc2 is not null)
        {
            headFc2.weight!.mul_(0.5);
            headFc2.bias!.zero_();
        }
    }
}
