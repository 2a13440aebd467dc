using System.Buffers;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Imaging;

namespace MLNet.HeChunk.Gating;

/// <summary>
/// Scores the chunks of an image by their Sobel gradient and assigns the paper's signed chunk index:
/// chunk k (0-based, row-major) gets index k + 1 when its score is greater than the threshold (a feature chunk)
/// and -(k + 1) otherwise.
/// </summary>
/// <remarks>
/// The gradient is computed once on the whole image (see <see cref="SobelOperator"/> for the border rule), so a
/// chunk's border pixels see their true neighbours in adjacent chunks. A chunk's score uses only the real image
/// pixels it covers: padding added by the splitter is never scored.
/// </remarks>
public sealed class SobelChunkScorer
{
    private readonly ChunkGrid _grid;
    private readonly ChunkStatistic _statistic;
    private readonly GradientScale _scale;
    private readonly double _threshold;
    private readonly double _fractionLevel;

    /// <summary>Creates a scorer.</summary>
    public SobelChunkScorer(ChunkGrid grid, ChunkStatistic statistic = ChunkStatistic.Mean, GradientScale scale = GradientScale.Clip255,
        double threshold = 100, double fractionLevel = 100)
    {
        ArgumentNullException.ThrowIfNull(grid);
        _grid = grid;
        _statistic = statistic;
        _scale = scale;
        _threshold = threshold;
        _fractionLevel = fractionLevel;
    }

    /// <summary>The largest score a statistic can take on a scale (for 0-255 images).</summary>
    public static double MaxScore(ChunkStatistic statistic, GradientScale scale) =>
        statistic == ChunkStatistic.FractionAbove ? 1.0
        : scale == GradientScale.Raw ? SobelOperator.MaxMagnitude255
        : 255.0;

    /// <summary>The paper's signed index of 0-based chunk <paramref name="chunk"/>.</summary>
    public static int SignedIndex(int chunk, bool isFeature) => isFeature ? chunk + 1 : -(chunk + 1);

    /// <summary>Scores every chunk of <paramref name="image"/> and writes the signed indices.</summary>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Score(ReadOnlySpan<float> image, Span<float> scores, Span<int> indices)
    {
        if (scores.Length != _grid.ChunkCount || indices.Length != _grid.ChunkCount)
            throw new ArgumentException($"Scores and indices must hold {_grid.ChunkCount} values; found {scores.Length} and {indices.Length}.");

        var magnitude = ArrayPool<float>.Shared.Rent(_grid.ImageLength);
        try
        {
            var m = magnitude.AsSpan(0, _grid.ImageLength);
            SobelOperator.Magnitude(image, _grid.ImageHeight, _grid.ImageWidth, m);
            Rescale(m);
            for (int k = 0; k < _grid.ChunkCount; k++)
            {
                scores[k] = (float)ChunkScore(m, k);
                indices[k] = SignedIndex(k, scores[k] > _threshold);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(magnitude);
        }
    }

    private void Rescale(Span<float> magnitude)
    {
        switch (_scale)
        {
            case GradientScale.Clip255:
                for (int i = 0; i < magnitude.Length; i++)
                    magnitude[i] = Math.Min(magnitude[i], 255f);
                break;
            case GradientScale.Normalized255:
                float factor = (float)(255.0 / SobelOperator.MaxMagnitude255);
                for (int i = 0; i < magnitude.Length; i++)
                    magnitude[i] *= factor;
                break;
        }
    }

    private double ChunkScore(ReadOnlySpan<float> magnitude, int chunk)
    {
        var (r0, r1, c0, c1) = _grid.ImageBounds(chunk);
        double sum = 0, max = 0;
        long above = 0;
        for (int r = r0; r < r1; r++)
        {
            foreach (float g in magnitude.Slice(r * _grid.ImageWidth + c0, c1 - c0))
            {
                sum += g;
                max = Math.Max(max, g);
                if (g > _fractionLevel)
                    above++;
            }
        }
        long count = (long)(r1 - r0) * (c1 - c0);
        return _statistic switch
        {
            ChunkStatistic.Max => max,
            ChunkStatistic.FractionAbove => above / (double)count,
            _ => sum / count,
        };
    }
}
