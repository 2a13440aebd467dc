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
    public double[] Logits(ReadOnlySpan<float> chunks)
    {
        int length = Weights.ChunkSize * Weights.ChunkSize;
        if (chunks.Length != Weights.ChunkCount * length)
        {
            throw new ArgumentException($"expected {Weights.ChunkCount} chunks of {Weights.ChunkSize}x{Weights.ChunkSize} ({Weights.ChunkCount * length} values), found {chunks.Length}");
        }

        var features = new double[Weights.FeatureLength];
        for (int c = 0; c < Weights.ChunkCount; c++)
        {
            Convolution.AccumulateSquaredFeatures(chunks.Slice(c * length, length), features);
        }

        double[] logits = DenseLayers(features);
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] *= Weights.LogitScale;
        }

        return logits;
    }

    /// <summary>
    /// FC1 on the mean of the squared features, square, FC2, from the sum of the squared convolution features over
    /// all chunks. The result is divided by the logit scale, as the encrypted evaluation produces it.
    /// </summary>
    internal double[] DenseLayers(ReadOnlySpan<double> featureSum)
    {
        ChunkCnnWeights w = Weights;
        int f = w.FeatureLength, h = w.HiddenSize, k = w.ClassCount;
        var hidden = new double[h];
        for (int i = 0; i < h; i++)
        {
            double v = w.Fc1Bias[i];
            for (int j = 0; j < f; j++)
            {
                v += w.Fc1Weights[i * f + j] * featureSum[j] / w.ChunkCount;
            }

            hidden[i] = v * v;
        }

        var logits = new double[k];
        for (int i = 0; i < k; i++)
        {
            double v = w.Fc2Bias[i];
            for (int j = 0; j < h; j++)
            {
                v += w.Fc2Weights[i * h + j] * hidden[j];
            }

            logits[i] = v;
        }

        return logits;
    }

    /// <summary>The squared convolution features of one chunk, added into <paramref name="sum"/>.</summary>
    internal void AccumulateChunk(ReadOnlySpan<float> chunk, Span<double> sum) => Convolution.AccumulateSquaredFeatures(chunk, sum);
}
