using MLNet.HeChunk.Cnn;

namespace MLNet.HeChunk.Scoring;

/// <summary>
/// The chunk CNN in the clear, from a chunk-major pixel vector (0-255): the plaintext scorer, and the server's path
/// for the chunks it receives unencrypted. Double precision throughout.
/// </summary>
public sealed class PlainChunkCnn
{

    /// <summary>Creates the scorer.</summary>
    public PlainChunkCnn(ChunkCnnWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weights = weights;
        Convolution = new FoldedConvolution(weights);
    }

    /// <summary>The weights.</summary>
    public ChunkCnnWeights Weights { get; }

    /// <summary>The convolution with the input normalization folded in (shared with the encrypted evaluator).</summary>
    internal FoldedConvolution Convolution { get; }

    /// <summary>Logits (multiplied back by the logit scale) of one image given as its chunks.</summary>
    /// <exception cref="ArgumentException">The vector does not hold the model's chunk count and size.</exception>
    public double[] Logits(ReadOnlySpan<float> chunks) => Logits(chunks, default);

    /// <summary>
    /// Logits (multiplied back by the logit scale) of one image given as its chunks and, for a model with a
    /// <see cref="ChunkCnnWeights.DescriptorHead"/>, its texture descriptors.
    /// </summary>
    /// <exception cref="ArgumentException">The chunks do not hold the model's chunk count and size, or the descriptors are missing or of the wrong length.</exception>
    public double[] Logits(ReadOnlySpan<float> chunks, ReadOnlySpan<float> descriptors)
    {
        int length = Weights.ChunkSize * Weights.ChunkSize;
        if (chunks.Length != Weights.ChunkCount * length)
        {
            throw new ArgumentException($"expected {Weights.ChunkCount} chunks of {Weights.ChunkSize}x{Weights.ChunkSize} ({Weights.ChunkCount * length} values), found {chunks.Length}");
        }

        var hiddenSquareSum = new double[Weights.HiddenSize];
        for (int c = 0; c < Weights.ChunkCount; c++)
        {
            AccumulateChunk(chunks.Slice(c * length, length), hiddenSquareSum);
        }

        double[] logits = OutputLayer(hiddenSquareSum);
        if (Weights.DescriptorHead is { } head)
        {
            if (descriptors.IsEmpty)
            {
                throw new ArgumentException($"the model has a texture-descriptor head and needs the image's {head.InputCount} descriptors");
            }

            double[] headLogits = head.Logits(descriptors);
            for (int i = 0; i < logits.Length; i++)
            {
                logits[i] += headLogits[i];
            }
        }

        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] *= Weights.LogitScale;
        }

        return logits;
    }

    /// <summary>
    /// FC2 on the mean over the chunks of the squared hidden units, from their sum. The result is divided by the
    /// logit scale, as the encrypted evaluation produces it.
    /// </summary>
    internal double[] OutputLayer(ReadOnlySpan<double> hiddenSquareSum)
    {
        ChunkCnnWeights w = Weights;
        int h = w.HiddenSize;
        var logits = new double[w.ClassCount];
        for (int i = 0; i < logits.Length; i++)
        {
            double v = w.Fc2Bias[i];
            for (int j = 0; j < h; j++)
            {
                v += w.Fc2Weights[i * h + j] * hiddenSquareSum[j] / w.ChunkCount;
            }

            logits[i] = v;
        }

        return logits;
    }

    /// <summary>One chunk's convolution, square, FC1 and square, added into <paramref name="hiddenSquareSum"/>.</summary>
    internal void AccumulateChunk(ReadOnlySpan<float> chunk, Span<double> hiddenSquareSum)
    {
        ChunkCnnWeights w = Weights;
        int f = w.FeatureLength;
        var features = new double[f];
        Convolution.SquaredFeatures(chunk, features);
        for (int i = 0; i < w.HiddenSize; i++)
        {
            double v = w.Fc1Bias[i];
            for (int j = 0; j < f; j++)
            {
                v += w.Fc1Weights[i * f + j] * features[j];
            }

            hiddenSquareSum[i] += v * v;
        }
    }
}
