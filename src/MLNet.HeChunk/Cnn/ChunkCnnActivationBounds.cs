namespace MLNet.HeChunk.Cnn;

/// <summary>
/// The largest absolute value each intermediate of a <see cref="ChunkCnnWeights"/> forward pass
/// reached on a data set (normally the training data, without augmentation).
/// </summary>
/// <remarks>
/// CKKS decodes correctly only while every value stays well inside the range its scale and
/// modulus leave; these bounds let the encrypted evaluator pick its scales, or refuse a model
/// whose intermediates would overflow. All values refer to the weights they are stored with,
/// so <see cref="Logits"/> already includes any <see cref="ChunkCnnWeights.LogitScale"/>.
/// </remarks>
/// <param name="Input">After the input normalization (x * InputScale + InputOffset).</param>
/// <param name="ConvOutput">Convolution output, bias included, before squaring.</param>
/// <param name="ConvSquared">Convolution output after the square activation.</param>
/// <param name="Fc1Output">FC1 output of a chunk, bias included, before squaring.</param>
/// <param name="Fc1Squared">FC1 output of a chunk after the square activation.</param>
/// <param name="PooledHidden">The mean over the chunks of the squared FC1 outputs (the FC2 input).</param>
/// <param name="Logits">FC2 output (the logits as exported).</param>
public sealed record ChunkCnnActivationBounds(
    double Input,
    double ConvOutput,
    double ConvSquared,
    double Fc1Output,
    double Fc1Squared,
    double PooledHidden,
    double Logits)
{
    /// <summary>The number of values a bounds record holds (used by the byte format).</summary>
    internal const int ValueCount = 7;

    /// <summary>The bounds in declaration order.</summary>
    internal double[] ToArray() =>
        [Input, ConvOutput, ConvSquared, Fc1Output, Fc1Squared, PooledHidden, Logits];

    /// <summary>The element-wise maximum of two bounds records.</summary>
    public ChunkCnnActivationBounds Max(ChunkCnnActivationBounds other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Math.Max(Input, other.Input),
            Math.Max(ConvOutput, other.ConvOutput),
            Math.Max(ConvSquared, other.ConvSquared),
            Math.Max(Fc1Output, other.Fc1Output),
            Math.Max(Fc1Squared, other.Fc1Squared),
            Math.Max(PooledHidden, other.PooledHidden),
            Math.Max(Logits, other.Logits));
    }

    /// <summary>The same bounds with the logits bound divided by <paramref name="divisor"/>.</summary>
    public ChunkCnnActivationBounds WithLogitsDividedBy(double divisor) => this with { Logits = Logits / divisor };

    /// <summary>All zeros: the neutral element of <see cref="Max"/>.</summary>
    public static ChunkCnnActivationBounds Zero { get; } = new(0, 0, 0, 0, 0, 0, 0);
}
