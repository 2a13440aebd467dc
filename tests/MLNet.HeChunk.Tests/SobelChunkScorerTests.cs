using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Gating;

namespace MLNet.HeChunk.Tests;

public class SobelChunkScorerTests
{
    /// <summary>56 x 84 image = 2 x 3 chunks of 28 x 28; the chunks listed are filled with 0/255 stripes of
    /// width 2 (Sobel magnitude 1020 inside), the others are flat grey.</summary>
    private static float[] StripedChunks(params int[] stripedChunks)
    {
        var image = Enumerable.Repeat(128f, 56 * 84).ToArray();
        foreach (int k in stripedChunks)
        {
            int r0 = k / 3 * 28, c0 = k % 3 * 28;
            for (int r = r0; r < r0 + 28; r++)
                for (int c = c0; c < c0 + 28; c++)
                    image[r * 84 + c] = (c - c0) % 4 < 2 ? 0 : 255;
        }
        return image;
    }

    [Fact]
    public void FeatureChunksGetPositiveOneBasedIndicesAndTheOthersNegative()
    {
        var grid = new ChunkGrid(56, 84, 28, 28);
        var scorer = new SobelChunkScorer(grid);
        var scores = new float[6];
        var index = new int[6];
        scorer.Score(StripedChunks(1, 3), scores, index);
        Assert.Equal([-1, 2, -3, 4, -5, -6], index);
        // Striped chunks saturate at 255 except along their edge columns.
        Assert.InRange(scores[1], 200, 255);
        Assert.InRange(scores[3], 200, 255);
        // Chunk 5 touches striped chunk 1 only diagonally: its corner pixel (28, 56) sees (27, 55) = 255 against
        // grey 128 through the kernel's corner weight, so Gx = Gy = 127 there and 0 elsewhere in the chunk.
        Assert.Equal(127 * Math.Sqrt(2) / 784, scores[5], 4);
        // Flat chunk 0 sees stripes only through its last column (chunk 1) and last row (chunk 3): each such
        // line of 28 pixels adds at most 255 / 28 to the mean.
        Assert.InRange(scores[0], 1, 2 * 255f / 28 + 1e-3);
    }

    [Fact]
    public void ThresholdIsStrict()
    {
        // A vertical step 0 -> 100 in the middle of a 2 x 2 grid of 2 x 2 chunks: Sobel magnitude 400 on the two
        // columns next to the step; Raw mean of each left chunk = (0 + 400) / 2 = 200.
        float[] row = [0, 0, 100, 100];
        float[] image = [.. row, .. row, .. row, .. row];
        var grid = new ChunkGrid(4, 4, 2, 2);
        var scores = new float[4];
        var index = new int[4];
        new SobelChunkScorer(grid, ChunkStatistic.Mean, GradientScale.Raw, threshold: 200).Score(image, scores, index);
        Assert.Equal([200f, 200f, 200f, 200f], scores);
        Assert.Equal([-1, -2, -3, -4], index);
        new SobelChunkScorer(grid, ChunkStatistic.Mean, GradientScale.Raw, threshold: 199.9).Score(image, scores, index);
        Assert.Equal([1, 2, 3, 4], index);
    }

    [Fact]
    public void StatisticsAndScalesFollowTheirDefinitions()
    {
        float[] row = [0, 0, 100, 100];
        float[] image = [.. row, .. row, .. row, .. row];
        var grid = new ChunkGrid(4, 4, 4, 4);   // one chunk; magnitudes per row: 0, 400, 400, 0
        var scores = new float[1];
        var index = new int[1];

        new SobelChunkScorer(grid, ChunkStatistic.Max, GradientScale.Raw).Score(image, scores, index);
        Assert.Equal(400f, scores[0]);
        new SobelChunkScorer(grid, ChunkStatistic.Mean, GradientScale.Clip255).Score(image, scores, index);
        Assert.Equal(127.5f, scores[0]);
        new SobelChunkScorer(grid, ChunkStatistic.Mean, GradientScale.Normalized255).Score(image, scores, index);
        Assert.Equal((float)(200 * 255 / (1020 * Math.Sqrt(2))), scores[0], 3);
        new SobelChunkScorer(grid, ChunkStatistic.FractionAbove, GradientScale.Raw, threshold: 0.4, fractionLevel: 399).Score(image, scores, index);
        Assert.Equal(0.5f, scores[0]);
        Assert.Equal([1], index);
    }

    [Fact]
    public void PaddingIsNeverScored()
    {
        // 3 x 3 flat image with 2 x 2 zero-padded chunks: zero padding would be an edge if it were scored.
        var grid = new ChunkGrid(3, 3, 2, 2, ChunkPadding.Zero);
        var scores = new float[4];
        var index = new int[4];
        new SobelChunkScorer(grid, threshold: 0).Score(Enumerable.Repeat(200f, 9).ToArray(), scores, index);
        Assert.Equal([0f, 0f, 0f, 0f], scores);
        Assert.Equal([-1, -2, -3, -4], index);
    }
}
