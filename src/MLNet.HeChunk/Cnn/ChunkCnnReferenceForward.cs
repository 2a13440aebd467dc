namespace MLNet.HeChunk.Cnn;

/// <summary>
/// The chunk CNN evaluated in plain double-precision C#, step by step as
/// <see cref="ChunkCnnWeights"/> describes it: the reference the encrypted evaluator is checked against.
/// </summary>
public static class ChunkCnnReferenceForward
{
    /// <summary>Logits for one image (row-major, 0-255 scale, ImageHeight * ImageWidth values).</summary>
    public static double[] Logits(ChunkCnnWeights weights, ReadOnlySpan<float> image) =>
        Evaluate(weights, image, default, out _);

    /// <summary>Logits for one image and its texture descriptors (needed when the model has a descriptor head).</summary>
    public static double[] Logits(ChunkCnnWeights weights, ReadOnlySpan<float> image, ReadOnlySpan<float> descriptors) =>
        Evaluate(weights, image, descriptors, out _);

    /// <summary>The predicted class (arg-max of the logits; the lowest index wins a tie).</summary>
    public static int Predict(ChunkCnnWeights weights, ReadOnlySpan<float> image)
    {
        double[] logits = Logits(weights, image);
        int best = 0;
        for (int k = 1; k < logits.Length; k++)
        {
            if (logits[k] > logits[best])
                best = k;
        }
        return best;
    }

    /// <summary>
    /// Logits for one image, and the largest absolute value of every intermediate on the way
    /// (to check that CKKS scales leave room for them).
    /// </summary>
    public static double[] Evaluate(ChunkCnnWeights weights, ReadOnlySpan<float> image, out ChunkCnnActivationBounds bounds) =>
        Evaluate(weights, image, default, out bounds);

    /// <summary>
    /// As <see cref="Evaluate(ChunkCnnWeights, ReadOnlySpan{float}, out ChunkCnnActivationBounds)"/>, with the image's texture
    /// descriptors for a model with a <see cref="ChunkCnnWeights.DescriptorHead"/> (its logits are added; the bounds describe the chunk branch
    /// and the total logits).
    /// </summary>
    /// <exception cref="ArgumentException">The image has the wrong size, or the model has a descriptor head and the descriptors are missing or of the wrong length.</exception>
    public static double[] Evaluate(ChunkCnnWeights weights, ReadOnlySpan<float> image, ReadOnlySpan<float> descriptors, out ChunkCnnActivationBounds bounds)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.DescriptorHead is not null && descriptors.Length != weights.DescriptorHead.InputCount)
            throw new ArgumentException($"The model's descriptor head takes {weights.DescriptorHead.InputCount} descriptors; found {descriptors.Length}.", nameof(descriptors));
        int h = weights.ImageHeight, w = weights.ImageWidth;
        if (image.Length != h * w)
            throw new ArgumentException($"Expected {h * w} pixels ({h}x{w}), got {image.Length}.", nameof(image));

        int cs = weights.ChunkSize, k = weights.KernelSize, s = weights.Stride, o = weights.ConvOutputSize;
        int channels = weights.Channels, featureLength = weights.FeatureLength;
        double maxInput = 0, maxConv = 0, maxConvSq = 0, maxPooled = 0, maxFc1 = 0, maxFc1Sq = 0, maxLogit = 0;

        var x = new double[h * w];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = image[i] * weights.InputScale + weights.InputOffset;
            maxInput = Math.Max(maxInput, Math.Abs(x[i]));
        }

        // Per chunk: convolution, square, FC1, square; the squared hidden units are summed over the chunks
        // and divided by the chunk count below.
        var features = new double[featureLength];
        var pooled = new double[weights.HiddenSize];
        for (int cy = 0; cy < weights.ChunksDown; cy++)
        {
            for (int cx = 0; cx < weights.ChunksAcross; cx++)
            {
                int top = cy * cs, left = cx * cs;
                for (int c = 0; c < channels; c++)
                {
                    for (int oy = 0; oy < o; oy++)
                    {
                        for (int ox = 0; ox < o; ox++)
                        {
                            double acc = weights.ConvBias[c];
                            int wBase = c * k * k;
                            for (int ky = 0; ky < k; ky++)
                            {
                                int row = (top + oy * s + ky) * w + left + ox * s;
                                for (int kx = 0; kx < k; kx++)
                                    acc += weights.ConvWeights[wBase + ky * k + kx] * x[row + kx];
                            }
                            double sq = acc * acc;
                            maxConv = Math.Max(maxConv, Math.Abs(acc));
                            maxConvSq = Math.Max(maxConvSq, sq);
                            features[(c * o + oy) * o + ox] = sq;
                        }
                    }
                }

                for (int j = 0; j < pooled.Length; j++)
                {
                    double acc = weights.Fc1Bias[j];
                    int rowBase = j * featureLength;
                    for (int i = 0; i < featureLength; i++)
                        acc += weights.Fc1Weights[rowBase + i] * features[i];
                    maxFc1 = Math.Max(maxFc1, Math.Abs(acc));
                    maxFc1Sq = Math.Max(maxFc1Sq, acc * acc);
                    pooled[j] += acc * acc;
                }
            }
        }

        double inverseCount = 1.0 / weights.ChunkCount;
        for (int j = 0; j < pooled.Length; j++)
        {
            pooled[j] *= inverseCount;
            maxPooled = Math.Max(maxPooled, pooled[j]);
        }

        double[]? headLogits = weights.DescriptorHead?.Logits(descriptors);
        var logits = new double[weights.ClassCount];
        for (int c = 0; c < logits.Length; c++)
        {
            double acc = weights.Fc2Bias[c] + (headLogits?[c] ?? 0);
            int rowBase = c * pooled.Length;
            for (int j = 0; j < pooled.Length; j++)
                acc += weights.Fc2Weights[rowBase + j] * pooled[j];
            logits[c] = acc;
            maxLogit = Math.Max(maxLogit, Math.Abs(acc));
        }

        bounds = new ChunkCnnActivationBounds(maxInput, maxConv, maxConvSq, maxFc1, maxFc1Sq, maxPooled, maxLogit);
        return logits;
    }
}
