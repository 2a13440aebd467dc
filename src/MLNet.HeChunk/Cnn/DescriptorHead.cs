namespace MLNet.HeChunk.Cnn;

/// <summary>
/// The second branch of the chunk CNN: a small polynomial network on the image's texture descriptors
/// (<see cref="Imaging.TextureFeatures"/>), whose logits are added to the chunk branch's.
/// </summary>
/// <remarks>
/// <para><c>logits += W2 · (W1 · d + b1)² + b2</c> for the raw descriptor vector <c>d</c> of
/// <see cref="InputCount"/> values. The training-time standardization of the descriptors and the batch normalization
/// after W1 are folded into W1 and b1, so the client encrypts the descriptors exactly as
/// <see cref="Imaging.TextureFeatures.Compute"/> returns them and needs nothing from the model.</para>
/// <para>Why it exists: on NEU-CLS and X-SDD a gradient-boosted tree on these descriptors alone came within reach of
/// (NEU-CLS) or beat (X-SDD) the chunk CNN in cross-validation, because they carry what a 7x7 polynomial convolution
/// does not see: colour, grey-level statistics, long-range co-occurrences. The descriptors travel encrypted, like the
/// chunks, and cost one small ciphertext (docs/training.md, docs/encrypted-cnn.md).</para>
/// <para>W2 and b2 are stored already divided by the model's logit scale, like FC2 of the chunk branch.</para>
/// </remarks>
public sealed class DescriptorHead
{
    /// <summary>Creates the head, checking every shape.</summary>
    /// <exception cref="ArgumentException">A size or an array length is inconsistent, or a value is not finite.</exception>
    public DescriptorHead(int inputCount, int hiddenSize, int classCount, double[] fc1Weights, double[] fc1Bias, double[] fc2Weights, double[] fc2Bias,
        double hiddenBound = 0)
    {
        if (inputCount <= 0 || hiddenSize <= 0 || classCount < 2)
            throw new ArgumentException($"A descriptor head needs positive sizes and at least 2 classes; found {inputCount} -> {hiddenSize} -> {classCount}.");
        if (!double.IsFinite(hiddenBound) || hiddenBound < 0)
            throw new ArgumentOutOfRangeException(nameof(hiddenBound), hiddenBound, "Must be finite and not negative.");
        InputCount = inputCount;
        HiddenSize = hiddenSize;
        ClassCount = classCount;
        Fc1Weights = Checked(fc1Weights, hiddenSize * inputCount, nameof(fc1Weights));
        Fc1Bias = Checked(fc1Bias, hiddenSize, nameof(fc1Bias));
        Fc2Weights = Checked(fc2Weights, classCount * hiddenSize, nameof(fc2Weights));
        Fc2Bias = Checked(fc2Bias, classCount, nameof(fc2Bias));
        HiddenBound = hiddenBound;
    }

    /// <summary>Number of descriptors (the length of <see cref="Imaging.TextureFeatures.Compute"/>'s result).</summary>
    public int InputCount { get; }

    /// <summary>Hidden units (squared).</summary>
    public int HiddenSize { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>W1, [HiddenSize, InputCount] row-major, standardization and normalization folded in.</summary>
    public double[] Fc1Weights { get; }

    /// <summary>b1, one per hidden unit.</summary>
    public double[] Fc1Bias { get; }

    /// <summary>W2, [ClassCount, HiddenSize] row-major, divided by the logit scale.</summary>
    public double[] Fc2Weights { get; }

    /// <summary>b2, one per class, divided by the logit scale.</summary>
    public double[] Fc2Bias { get; }

    /// <summary>Largest |W1 · d + b1| seen on the training data (0 when unknown): the magnitude CKKS must hold before the square.</summary>
    public double HiddenBound { get; }

    /// <summary>The head's contribution to the logits for one descriptor vector, in double precision.</summary>
    /// <exception cref="ArgumentException">The vector has the wrong length.</exception>
    public double[] Logits(ReadOnlySpan<float> descriptors)
    {
        if (descriptors.Length != InputCount)
            throw new ArgumentException($"The descriptor head takes {InputCount} descriptors; found {descriptors.Length}.", nameof(descriptors));
        var hidden = new double[HiddenSize];
        for (int j = 0; j < HiddenSize; j++)
        {
            double sum = Fc1Bias[j];
            for (int i = 0; i < InputCount; i++)
                sum += Fc1Weights[j * InputCount + i] * descriptors[i];
            hidden[j] = sum * sum;
        }

        var logits = new double[ClassCount];
        for (int k = 0; k < ClassCount; k++)
        {
            double sum = Fc2Bias[k];
            for (int j = 0; j < HiddenSize; j++)
                sum += Fc2Weights[k * HiddenSize + j] * hidden[j];
            logits[k] = sum;
        }

        return logits;
    }

    /// <summary>A copy whose W2 and b2 are divided by <paramref name="divisor"/>.</summary>
    public DescriptorHead WithLogitsDividedBy(double divisor) => new(InputCount, HiddenSize, ClassCount,
        (double[])Fc1Weights.Clone(), (double[])Fc1Bias.Clone(), [.. Fc2Weights.Select(w => w / divisor)], [.. Fc2Bias.Select(b => b / divisor)], HiddenBound);

    private static double[] Checked(double[] values, int expectedLength, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != expectedLength)
            throw new ArgumentException($"Expected {expectedLength} values, got {values.Length}.", name);
        if (values.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("Contains a NaN or infinite value.", name);
        return values;
    }
}
