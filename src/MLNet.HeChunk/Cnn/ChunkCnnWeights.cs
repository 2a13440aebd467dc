namespace MLNet.HeChunk.Cnn;

/// <summary>
/// The trained chunk CNN as plain numbers: everything an evaluator (plain or encrypted) needs,
/// with no dependency on the training framework.
/// </summary>
/// <remarks>
/// <para>The network, for an image of <see cref="ImageHeight"/> x <see cref="ImageWidth"/> pixels
/// on a 0-255 scale:</para>
/// <list type="number">
/// <item>normalize every pixel: <c>x' = x * InputScale + InputOffset</c>;</item>
/// <item>cut the image into a grid of <see cref="ChunkCount"/> chunks of <see cref="ChunkSize"/> x
/// <see cref="ChunkSize"/> pixels, row-major over the grid;</item>
/// <item>per chunk, with the same weights for all chunks: Conv2d with <see cref="Channels"/> filters of
/// <see cref="KernelSize"/> x <see cref="KernelSize"/>, stride <see cref="Stride"/>, no padding, with bias,
/// giving <see cref="ConvOutputSize"/> x <see cref="ConvOutputSize"/> positions per channel; then square;
/// flattened channel-major to a vector of <see cref="FeatureLength"/> values
/// (index <c>c * ConvOutputSize² + y * ConvOutputSize + x</c>);</item>
/// <item>per chunk, again with shared weights, FC1: <c>h = Fc1Weights · f + Fc1Bias</c>
/// (<see cref="HiddenSize"/> x <see cref="FeatureLength"/>), then square;</item>
/// <item>the mean of the chunks' squared hidden vectors (a sum, then one multiply by 1/ChunkCount, which keeps
/// the encrypted evaluation a rotate-and-add): <c>m</c>;</item>
/// <item>FC2: <c>logits = Fc2Weights · m + Fc2Bias</c> (<see cref="ClassCount"/> x <see cref="HiddenSize"/>);</item>
/// <item>when the model has a <see cref="DescriptorHead"/>, its logits on the image's texture descriptors are added.</item>
/// </list>
/// <para>All matrices are row-major, output index first (the PyTorch layout). FC2 is stored already
/// divided by <see cref="LogitScale"/>: the logits computed from these weights are the trained
/// model's logits divided by <see cref="LogitScale"/>, which leaves the predicted class unchanged.</para>
/// </remarks>
public sealed class ChunkCnnWeights
{
    /// <summary>Creates the weights, checking every shape against the geometry.</summary>
    /// <exception cref="ArgumentException">A dimension or an array length is inconsistent.</exception>
    public ChunkCnnWeights(
        int imageHeight,
        int imageWidth,
        int chunkSize,
        int kernelSize,
        int stride,
        int channels,
        int hiddenSize,
        int classCount,
        double inputScale,
        double inputOffset,
        double[] convWeights,
        double[] convBias,
        double[] fc1Weights,
        double[] fc1Bias,
        double[] fc2Weights,
        double[] fc2Bias,
        double logitScale = 1.0,
        ChunkCnnActivationBounds? bounds = null,
        DescriptorHead? descriptorHead = null)
    {
        Positive(imageHeight, nameof(imageHeight));
        Positive(imageWidth, nameof(imageWidth));
        Positive(chunkSize, nameof(chunkSize));
        Positive(kernelSize, nameof(kernelSize));
        Positive(stride, nameof(stride));
        Positive(channels, nameof(channels));
        Positive(hiddenSize, nameof(hiddenSize));
        if (classCount < 2)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "A classifier needs at least 2 classes.");
        if (imageHeight % chunkSize != 0 || imageWidth % chunkSize != 0)
            throw new ArgumentException(
                $"The image ({imageHeight}x{imageWidth}) is not a whole number of {chunkSize}x{chunkSize} chunks.", nameof(chunkSize));
        if (kernelSize > chunkSize)
            throw new ArgumentException($"The kernel ({kernelSize}) is larger than a chunk ({chunkSize}).", nameof(kernelSize));
        if (!double.IsFinite(inputScale) || inputScale == 0 || !double.IsFinite(inputOffset))
            throw new ArgumentException("The input normalization must be finite with a non-zero scale.", nameof(inputScale));
        if (!double.IsFinite(logitScale) || logitScale <= 0)
            throw new ArgumentOutOfRangeException(nameof(logitScale), logitScale, "The logit scale must be finite and positive.");

        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
        ChunkSize = chunkSize;
        KernelSize = kernelSize;
        Stride = stride;
        Channels = channels;
        HiddenSize = hiddenSize;
        ClassCount = classCount;
        InputScale = inputScale;
        InputOffset = inputOffset;
        LogitScale = logitScale;
        Bounds = bounds;

        ConvWeights = Checked(convWeights, channels * kernelSize * kernelSize, nameof(convWeights));
        ConvBias = Checked(convBias, channels, nameof(convBias));
        Fc1Weights = Checked(fc1Weights, hiddenSize * FeatureLength, nameof(fc1Weights));
        Fc1Bias = Checked(fc1Bias, hiddenSize, nameof(fc1Bias));
        Fc2Weights = Checked(fc2Weights, classCount * hiddenSize, nameof(fc2Weights));
        Fc2Bias = Checked(fc2Bias, classCount, nameof(fc2Bias));
        if (descriptorHead is not null && descriptorHead.ClassCount != classCount)
            throw new ArgumentException($"The descriptor head has {descriptorHead.ClassCount} classes; the network {classCount}.", nameof(descriptorHead));
        DescriptorHead = descriptorHead;
    }

    /// <summary>The texture-descriptor branch whose logits are added to the chunk branch's, or null for a chunk-only model.</summary>
    public DescriptorHead? DescriptorHead { get; }

    /// <summary>Image height in pixels.</summary>
    public int ImageHeight { get; }

    /// <summary>Image width in pixels.</summary>
    public int ImageWidth { get; }

    /// <summary>Side of the square chunks the image is cut into.</summary>
    public int ChunkSize { get; }

    /// <summary>Side of the square convolution kernel (7 in the paper).</summary>
    public int KernelSize { get; }

    /// <summary>Convolution stride, the same in both directions.</summary>
    public int Stride { get; }

    /// <summary>Number of convolution filters (output channels).</summary>
    public int Channels { get; }

    /// <summary>Width of the hidden layer (FC1 outputs; 128 in the paper).</summary>
    public int HiddenSize { get; }

    /// <summary>Number of classes (FC2 outputs).</summary>
    public int ClassCount { get; }

    /// <summary>Multiplier of the input normalization <c>x * InputScale + InputOffset</c>.</summary>
    public double InputScale { get; }

    /// <summary>Offset of the input normalization <c>x * InputScale + InputOffset</c>.</summary>
    public double InputOffset { get; }

    /// <summary>The constant FC2 was divided by at export (1 when not scaled).</summary>
    public double LogitScale { get; }

    /// <summary>Magnitudes of the intermediates on the training data, when known.</summary>
    public ChunkCnnActivationBounds? Bounds { get; }

    /// <summary>Convolution weights, [Channels, 1, KernelSize, KernelSize] row-major.</summary>
    public double[] ConvWeights { get; }

    /// <summary>Convolution bias, one per channel.</summary>
    public double[] ConvBias { get; }

    /// <summary>FC1 weights, [HiddenSize, FeatureLength] row-major.</summary>
    public double[] Fc1Weights { get; }

    /// <summary>FC1 bias, one per hidden unit.</summary>
    public double[] Fc1Bias { get; }

    /// <summary>FC2 weights, [ClassCount, HiddenSize] row-major, already divided by <see cref="LogitScale"/>.</summary>
    public double[] Fc2Weights { get; }

    /// <summary>FC2 bias, one per class, already divided by <see cref="LogitScale"/>.</summary>
    public double[] Fc2Bias { get; }

    /// <summary>Chunks per grid row.</summary>
    public int ChunksAcross => ImageWidth / ChunkSize;

    /// <summary>Chunks per grid column.</summary>
    public int ChunksDown => ImageHeight / ChunkSize;

    /// <summary>Number of chunks per image.</summary>
    public int ChunkCount => ChunksAcross * ChunksDown;

    /// <summary>Convolution output positions per side of a chunk: <c>(ChunkSize - KernelSize) / Stride + 1</c>.</summary>
    public int ConvOutputSize => (ChunkSize - KernelSize) / Stride + 1;

    /// <summary>Length of a chunk's feature vector: <c>Channels * ConvOutputSize²</c> (256 with the defaults).</summary>
    public int FeatureLength => Channels * ConvOutputSize * ConvOutputSize;

    /// <summary>
    /// A copy whose FC2 is divided by a further <paramref name="divisor"/>, so that logits shrink by
    /// that factor (the arg-max, hence the predicted class, is unchanged). <see cref="LogitScale"/>
    /// and the logits bound follow.
    /// </summary>
    public ChunkCnnWeights WithLogitsDividedBy(double divisor)
    {
        if (!double.IsFinite(divisor) || divisor <= 0)
            throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "The divisor must be finite and positive.");
        return new ChunkCnnWeights(
            ImageHeight, ImageWidth, ChunkSize, KernelSize, Stride, Channels, HiddenSize, ClassCount,
            InputScale, InputOffset,
            (double[])ConvWeights.Clone(), (double[])ConvBias.Clone(),
            (double[])Fc1Weights.Clone(), (double[])Fc1Bias.Clone(),
            Fc2Weights.Select(w => w / divisor).ToArray(), Fc2Bias.Select(b => b / divisor).ToArray(),
            LogitScale * divisor, Bounds?.WithLogitsDividedBy(divisor), DescriptorHead?.WithLogitsDividedBy(divisor));
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
    }

    private static double[] Checked(double[] values, int expectedLength, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != expectedLength)
            throw new ArgumentException($"Expected {expectedLength} values, got {values.Length}.", name);
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
                throw new ArgumentException("Contains a NaN or infinite value.", name);
        }
        return values;
    }
}
