namespace MLNet.HeChunk.Training;

/// <summary>
/// Shape of the paper's plaintext baseline: two convolutions, two max-poolings, two fully
/// connected layers, ReLU.
/// </summary>
/// <remarks>
/// The paper gives the layer kinds, not their sizes. The defaults
/// (conv 5x5 8 → pool 2 → conv 5x5 16 → pool 4 → FC 128 → FC K, for 112 x 112 images a
/// 16 * 14 * 14 = 3136-wide FC1) keep an epoch on 2 CPU cores to seconds.
/// </remarks>
public sealed record OriginalCnnOptions
{
    /// <summary>Filters of the first convolution.</summary>
    public int Conv1Channels { get; init; } = 8;

    /// <summary>Filters of the second convolution.</summary>
    public int Conv2Channels { get; init; } = 16;

    /// <summary>Side of both (odd, same-padded) convolution kernels.</summary>
    public int KernelSize { get; init; } = 5;

    /// <summary>Window and stride of the first max-pooling.</summary>
    public int Pool1 { get; init; } = 2;

    /// <summary>Window and stride of the second max-pooling.</summary>
    public int Pool2 { get; init; } = 4;

    /// <summary>Width of the hidden fully connected layer.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Dropout probability before each fully connected layer (0 disables it).</summary>
    public double Dropout { get; init; } = 0.3;

    internal void Validate(int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Conv1Channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Conv2Channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(HiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Pool1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Pool2);
        if (KernelSize <= 0 || KernelSize % 2 == 0)
            throw new ArgumentException($"The kernel size must be odd and positive (got {KernelSize}).");
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Must be within [0, 1).");
        if (height / Pool1 / Pool2 == 0 || width / Pool1 / Pool2 == 0)
            throw new ArgumentException($"{height}x{width} images are too small for pooling by {Pool1} then {Pool2}.");
    }
}
