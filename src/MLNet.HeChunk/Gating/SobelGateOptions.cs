using MLNet.HeChunk.Chunking;

namespace MLNet.HeChunk.Gating;

/// <summary>
/// Options of <c>SobelGate</c>: the chunk layout (inherited; use the splitter's), the score and the threshold.
/// Defaults follow the paper: 28 x 28 chunks, mean gradient magnitude on a 0-255 scale, threshold 100.
/// </summary>
public sealed class SobelGateOptions : ChunkLayoutOptions
{
    /// <summary>Name of the per-chunk score column (Vector&lt;Single, k&gt;). Default "ChunkScores".</summary>
    public string ScoresColumnName { get; set; } = "ChunkScores";

    /// <summary>A chunk is a feature chunk when its score is strictly greater than this. Default 100.</summary>
    public double Threshold { get; set; } = 100;

    /// <summary>The per-chunk score. Default <see cref="ChunkStatistic.Mean"/>.</summary>
    public ChunkStatistic Statistic { get; set; } = ChunkStatistic.Mean;

    /// <summary>The scale magnitudes are put on before scoring. Default <see cref="GradientScale.Clip255"/>.</summary>
    public GradientScale Scale { get; set; } = GradientScale.Clip255;

    /// <summary>For <see cref="ChunkStatistic.FractionAbove"/>: the (scaled) magnitude a pixel must exceed to count. Default 100.</summary>
    public double FractionLevel { get; set; } = 100;

    /// <summary>Checks the scoring settings (the layout is checked separately).</summary>
    internal void ValidateScoring(string outputColumnName)
    {
        if (string.IsNullOrWhiteSpace(ScoresColumnName))
            throw new ArgumentException("ScoresColumnName must be a column name.", nameof(ScoresColumnName));
        if (ScoresColumnName == outputColumnName)
            throw new ArgumentException($"The index and score columns must differ; both are '{outputColumnName}'.", nameof(ScoresColumnName));
        if (!Enum.IsDefined(Statistic))
            throw new ArgumentOutOfRangeException(nameof(Statistic), $"Unknown statistic {Statistic}.");
        if (!Enum.IsDefined(Scale))
            throw new ArgumentOutOfRangeException(nameof(Scale), $"Unknown gradient scale {Scale}.");
        if (!double.IsFinite(Threshold))
            throw new ArgumentOutOfRangeException(nameof(Threshold), $"Threshold must be finite; found {Threshold}.");
        if (!double.IsFinite(FractionLevel))
            throw new ArgumentOutOfRangeException(nameof(FractionLevel), $"FractionLevel must be finite; found {FractionLevel}.");
        // A threshold no score can exceed would silently mark every chunk as featureless: almost surely a
        // threshold meant for another statistic or scale (100 with FractionAbove, for instance).
        double max = SobelChunkScorer.MaxScore(Statistic, Scale);
        if (Threshold >= max)
            throw new ArgumentOutOfRangeException(nameof(Threshold),
                $"Threshold {Threshold} can never be exceeded: {Statistic} scores on scale {Scale} lie in [0, {max:0.###}].");
    }
}
