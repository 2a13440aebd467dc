namespace MLNet.HeChunk.Training;

/// <summary>
/// Shape of the chunk CNN: chunk size, the per-chunk 7x7 convolution and the hidden layer.
/// </summary>
/// <remarks>
/// Both presets give the paper's 256-input FC1 on 112 x 112 images cut into 28 x 28 chunks (a 4 x 4
/// grid): <see cref="Stride7"/>, the default, has 16 filters at stride 7, 16 * 4 * 4 = 256 (the 7x7
/// patches tile each chunk exactly); <see cref="Stride3"/> has 4 filters at stride 3,
/// (28 - 7) / 3 + 1 = 8 and 4 * 8 * 8 = 256. On NEU-CLS the 16 filters of stride 7 classify
/// clearly better (docs/training.md), so they are the default.
/// </remarks>
public sealed record ChunkCnnOptions
{
    /// <summary>Side of the square chunks (must divide the image height and width).</summary>
    public int ChunkSize { get; init; } = 28;

    /// <summary>Side of the square convolution kernel.</summary>
    public int KernelSize { get; init; } = 7;

    /// <summary>Convolution stride.</summary>
    public int Stride { get; init; } = 7;

    /// <summary>Number of convolution filters.</summary>
    public int Channels { get; init; } = 16;

    /// <summary>Width of the hidden layer.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>
    /// Train with batch normalization on each chunk's squared convolution features (before FC1) and on FC1's outputs
    /// (before the square). Both are affine maps next to FC1 in evaluation mode, so export folds
    /// them into FC1's weights and bias and the exported network keeps exactly the structure
    /// above; during training they keep the squares' inputs at unit scale, which makes the
    /// square network train much faster and more stably.
    /// </summary>
    public bool FoldedBatchNorm { get; init; } = true;

    /// <summary>
    /// Train FC1 with one weight per (hidden unit, filter), shared by all positions of that filter
    /// inside a chunk; export writes it out as the full HiddenSize x FeatureLength matrix
    /// (each shared weight divided by the positions per filter), so the exported structure is unchanged.
    /// </summary>
    /// <remarks>
    /// Where a chunk starts in a texture is arbitrary, so a filter's response at one position of the
    /// chunk grid carries the same information as at another. Off by default: FC1 runs per chunk, and
    /// relating the positions of one chunk to each other is what its separate weights are for.
    /// </remarks>
    public bool TiePositions { get; init; }

    /// <summary>
    /// Dropout probability on FC1's input and on FC2's input during training (identity at inference). Off by default:
    /// with the augmentation, dropout 0.1 did not help the per-chunk model on NEU-CLS (docs/training.md).
    /// </summary>
    public double Dropout { get; init; }

    /// <summary>
    /// Hidden units of the descriptor head (a dense layer, squared, then a dense layer to the classes, on the image's texture
    /// descriptors; its logits are added to the chunk branch's). Used when the training data carries descriptors; 0 turns
    /// the head off. Default 64.
    /// </summary>
    public int DescriptorHiddenSize { get; init; } = 64;

    /// <summary>
    /// Standard deviation of the Gaussian noise added to the standardized descriptors during training (the descriptors are
    /// not augmented with the image, so the noise keeps the head from memorizing them). Default 0.1.
    /// </summary>
    public double DescriptorNoise { get; init; } = 0.1;

    /// <summary>Stride 3 with 4 filters: 4 * 8 * 8 = 256 features per chunk.</summary>
    public static ChunkCnnOptions Stride3 { get; } = new() { Stride = 3, Channels = 4 };

    /// <summary>Stride 7 with 16 filters: 16 * 4 * 4 = 256 features per chunk.</summary>
    public static ChunkCnnOptions Stride7 { get; } = new();

    /// <summary>Convolution output positions per side of a chunk.</summary>
    public int ConvOutputSize => (ChunkSize - KernelSize) / Stride + 1;

    /// <summary>Features per chunk (the exported FC1 input width).</summary>
    public int FeatureLength => Channels * ConvOutputSize * ConvOutputSize;

    /// <summary>The FC1 input width during training: <see cref="Channels"/> with <see cref="TiePositions"/>, else <see cref="FeatureLength"/>.</summary>
    internal int TrainedFc1Inputs => TiePositions ? Channels : FeatureLength;

    internal void Validate(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ChunkSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(KernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Stride);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegative(DescriptorHiddenSize);
        if (!(DescriptorNoise >= 0) || !double.IsFinite(DescriptorNoise))
            throw new ArgumentOutOfRangeException(nameof(DescriptorNoise), DescriptorNoise, "Must be finite and not negative.");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Must be within [0, 1).");
        if (KernelSize > ChunkSize)
            throw new ArgumentException($"The kernel ({KernelSize}) is larger than a chunk ({ChunkSize}).");
        if (height % ChunkSize != 0 || width % ChunkSize != 0)
            throw new ArgumentException($"{height}x{width} images are not a whole number of {ChunkSize}x{ChunkSize} chunks.");
    }
}

