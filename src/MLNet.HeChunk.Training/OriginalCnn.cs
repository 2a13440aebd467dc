using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>
/// The paper's plaintext baseline as a TorchSharp module: conv, ReLU, max-pool, conv, ReLU,
/// max-pool, FC, ReLU, FC (dropout before each FC).
/// </summary>
public sealed class OriginalCnn : nn.Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Sequential classifier;

    /// <summary>Creates a freshly initialized baseline CNN (initialization draws from torch's global generator).</summary>
    public OriginalCnn(int height, int width, int classCount, OriginalCnnOptions options, InputNormalization normalization)
        : base(nameof(OriginalCnn))
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
        int pad = options.KernelSize / 2;
        features = nn.Sequential(
            ("conv1", nn.Conv2d(1, options.Conv1Channels, options.KernelSize, padding: pad)),
            ("relu1", nn.ReLU()),
            ("pool1", nn.MaxPool2d(options.Pool1)),
            ("conv2", nn.Conv2d(options.Conv1Channels, options.Conv2Channels, options.KernelSize, padding: pad)),
            ("relu2", nn.ReLU()),
            ("pool2", nn.MaxPool2d(options.Pool2)));
        long flat = (long)options.Conv2Channels * (height / options.Pool1 / options.Pool2) * (width / options.Pool1 / options.Pool2);
        classifier = nn.Sequential(
            ("flatten", nn.Flatten()),
            ("drop1", nn.Dropout(options.Dropout)),
            ("fc1", nn.Linear(flat, options.HiddenSize)),
            ("relu3", nn.ReLU()),
            ("drop2", nn.Dropout(options.Dropout)),
            ("fc2", nn.Linear(options.HiddenSize, classCount)));
        RegisterComponents();
    }

    /// <summary>Image height the model expects.</summary>
    public int Height { get; }

    /// <summary>Image width the model expects.</summary>
    public int Width { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>Layer sizes.</summary>
    public OriginalCnnOptions Options { get; }

    /// <summary>The pixel normalization applied before the first convolution.</summary>
    public InputNormalization Normalization { get; }

    /// <summary>Logits [B, K] for raw images [B, 1, H, W] on a 0-255 scale.</summary>
    public override Tensor forward(Tensor input) =>
        classifier.forward(features.forward(input * Normalization.Scale + Normalization.Offset));
}
