using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Scoring;

/// <summary>
/// The chunk CNN's convolution with the input normalization folded in, for inputs x/255 (what the client encrypts):
/// conv(s*x + o) = (s*255) * conv_w(x/255) + (bias + o * sum(w)). Folding keeps the client independent of the trained
/// model: it always encrypts x/255, and only the server, which holds the weights, knows the normalization.
/// </summary>
internal sealed class FoldedConvolution
{
    public FoldedConvolution(ChunkCnnWeights weights)
    {
        Weights = weights;
        int k2 = weights.KernelSize * weights.KernelSize;
        double scale = weights.InputScale * ChunkGroupEncryptor.PixelRange;
        Kernel = new double[weights.Channels * k2];
        Bias = new double[weights.Channels];
        for (int c = 0; c < weights.Channels; c++)
        {
            double sum = 0;
            for (int r = 0; r < k2; r++)
            {
                double w = weights.ConvWeights[c * k2 + r];
                Kernel[c * k2 + r] = w * scale;
                sum += w;
            }

            Bias[c] = weights.ConvBias[c] + weights.InputOffset * sum;
        }
    }

    public ChunkCnnWeights Weights { get; }

    /// <summary>[channel, dy, dx] weights applied to pixels already divided by 255.</summary>
    public double[] Kernel { get; }

    /// <summary>Per-channel bias including the normalization offset.</summary>
    public double[] Bias { get; }

    /// <summary>Writes the squared convolution features of one chunk (pixels 0-255, row-major) into <paramref name="features"/>.</summary>
    public void SquaredFeatures(ReadOnlySpan<float> chunk, Span<double> features)
    {
        int side = Weights.ChunkSize, k = Weights.KernelSize, s = Weights.Stride, o = Weights.ConvOutputSize;
        for (int c = 0; c < Weights.Channels; c++)
        {
            for (int y = 0; y < o; y++)
            {
                for (int x = 0; x < o; x++)
                {
                    double value = Bias[c];
                    for (int dy = 0; dy < k; dy++)
                    {
                        for (int dx = 0; dx < k; dx++)
                        {
                            value += Kernel[(c * k + dy) * k + dx] * chunk[(y * s + dy) * side + x * s + dx] / ChunkGroupEncryptor.PixelRange;
                        }
                    }

                    features[(c * o + y) * o + x] = value * value;
                }
            }
        }
    }
}
