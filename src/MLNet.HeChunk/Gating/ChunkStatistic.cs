namespace MLNet.HeChunk.Gating;

/// <summary>How the Sobel gate summarises the gradient magnitudes of one chunk into its score.</summary>
public enum ChunkStatistic
{
    /// <summary>Mean magnitude over the chunk's pixels (default).</summary>
    Mean = 0,

    /// <summary>Largest magnitude in the chunk.</summary>
    Max = 1,

    /// <summary>Fraction of the chunk's pixels whose magnitude exceeds <see cref="SobelGateOptions.FractionLevel"/>;
    /// the score lies in [0, 1], so the threshold must too.</summary>
    FractionAbove = 2,
}
