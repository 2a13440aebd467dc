using MLNet.HeChunk.Chunking;

namespace MLNet.HeChunk.Tests;

public class ChunkGridTests
{
    [Fact]
    public void ChunksAreRowMajorAndPixelsInsideAChunkAreRowMajor()
    {
        // 4 x 6 image, 2 x 3 chunks -> 2 x 2 grid. Pixel value = its image index.
        var grid = new ChunkGrid(4, 6, 2, 3);
        var chunks = new float[grid.VectorLength];
        grid.Split(TestData.Positional(4, 6), chunks);
        Assert.Equal((2, 2, 4, 6), (grid.Rows, grid.Columns, grid.ChunkCount, grid.ChunkLength));
        Assert.Equal(
            [0f, 1, 2, 6, 7, 8,         // chunk 0: top-left
             3, 4, 5, 9, 10, 11,        // chunk 1: top-right
             12, 13, 14, 18, 19, 20,    // chunk 2: bottom-left
             15, 16, 17, 21, 22, 23],   // chunk 3: bottom-right
            chunks);
    }

    [Fact]
    public void NonSquareChunksOfThePaperTileA112By104Image()
    {
        var grid = new ChunkGrid(112, 104, 28, 26);
        Assert.Equal((4, 4, 16), (grid.Rows, grid.Columns, grid.ChunkCount));
        Assert.False(grid.IsPadded);
    }

    [Fact]
    public void ChunkSizeThatDoesNotDivideIsRefusedUnlessPaddingIsChosen()
    {
        var e = Assert.Throws<ArgumentException>(() => new ChunkGrid(112, 112, 28, 26));
        Assert.Contains("28 x 26", e.Message);
        Assert.Contains("112 x 112", e.Message);
        Assert.Contains("Padding", e.Message);

        var padded = new ChunkGrid(112, 112, 28, 26, ChunkPadding.Zero);
        Assert.Equal((4, 5, 112, 130), (padded.Rows, padded.Columns, padded.PaddedHeight, padded.PaddedWidth));
    }

    [Fact]
    public void ImageSmallerThanAChunkIsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ChunkGrid(20, 40, 28, 28, ChunkPadding.Zero));
        Assert.Contains("smaller than one chunk", e.Message);
    }

    [Theory]
    [InlineData(ChunkPadding.Zero, 0f, 0f)]
    [InlineData(ChunkPadding.ReplicateEdge, 8f, 8f)]
    public void PaddingFillsTheBottomRightOnly(ChunkPadding padding, float rightOfLastColumn, float belowLastRow)
    {
        // 3 x 3 image (values 0..8), 2 x 2 chunks -> 2 x 2 grid over a padded 4 x 4 image.
        var grid = new ChunkGrid(3, 3, 2, 2, padding);
        var chunks = new float[grid.VectorLength];
        grid.Split(TestData.Positional(3, 3), chunks);
        // Chunk 3 (bottom-right) covers image pixel (2,2) = 8 and three padded pixels.
        Assert.Equal(8f, chunks[3 * 4 + 0]);
        Assert.Equal(rightOfLastColumn, chunks[3 * 4 + 1]);
        Assert.Equal(belowLastRow, chunks[3 * 4 + 2]);
        // Chunk 0 is entirely real.
        Assert.Equal([0f, 1, 3, 4], chunks[..4]);
        Assert.Equal((2, 3, 2, 3), grid.ImageBounds(3));
    }

    [Fact]
    public void SplitThenMergeIsTheIdentityOverRandomSizes()
    {
        var random = new Random(2026);
        for (int trial = 0; trial < 300; trial++)
        {
            int h = 1 + random.Next(60), w = 1 + random.Next(60);
            int ch = 1 + random.Next(h), cw = 1 + random.Next(w);
            bool divides = h % ch == 0 && w % cw == 0;
            var padding = divides && random.Next(2) == 0 ? ChunkPadding.None : (ChunkPadding)(1 + random.Next(2));
            var grid = new ChunkGrid(h, w, ch, cw, padding);
            var image = TestData.Random(random, h * w);
            var chunks = new float[grid.VectorLength];
            grid.Split(image, chunks);

            // Every image pixel sits where the documented layout says.
            int r = random.Next(h), c = random.Next(w);
            int k = r / ch * grid.Columns + c / cw;
            Assert.Equal(image[r * w + c], chunks[k * grid.ChunkLength + r % ch * cw + c % cw]);

            var merged = new float[h * w];
            grid.Merge(chunks, merged);
            Assert.Equal(image, merged);
        }
    }

    [Fact]
    public void WrongSpanLengthsAreRejected()
    {
        var grid = new ChunkGrid(4, 4, 2, 2);
        Assert.Throws<ArgumentException>(() => grid.Split(new float[15], new float[16]));
        Assert.Throws<ArgumentException>(() => grid.Merge(new float[15], new float[16]));
    }
}
