using MLNet.HeChunk.Imaging;

namespace MLNet.HeChunk.Tests;

public class SobelOperatorTests
{
    [Fact]
    public void VerticalStepGivesGxOf400OnBothSidesAndZeroWhereTheBorderIsReplicated()
    {
        // Rows [0 0 100 100]: at column 1, gx = (100 + 2*100 + 100) - 0 = 400; at column 2 likewise;
        // at columns 0 and 3 the clamped neighbour equals the pixel itself, so gx = 0. gy = 0 everywhere.
        float[] row = [0, 0, 100, 100];
        float[] image = [.. row, .. row, .. row];
        var magnitude = new float[12];
        SobelOperator.Magnitude(image, 3, 4, magnitude);
        float[] expectedRow = [0, 400, 400, 0];
        Assert.Equal([.. expectedRow, .. expectedRow, .. expectedRow], magnitude);
    }

    [Fact]
    public void SinglePeakGivesHandComputedMagnitudes()
    {
        // Centre 8, else 0, replicate border:
        // corner (0,0): gx = 8, gy = 8 -> sqrt(128); edge (0,1): gy = 2*8 = 16; centre: 0.
        float[] image = [0, 0, 0, 0, 8, 0, 0, 0, 0];
        var magnitude = new float[9];
        SobelOperator.Magnitude(image, 3, 3, magnitude);
        float c = (float)Math.Sqrt(128);
        float[] expected = [c, 16, c, 16, 0, 16, c, 16, c];
        for (int i = 0; i < 9; i++)
            Assert.Equal(expected[i], magnitude[i], 4);
    }

    [Fact]
    public void FlatImageHasNoGradientEvenOnItsBorder()
    {
        var image = Enumerable.Repeat(200f, 25).ToArray();
        var magnitude = new float[25];
        SobelOperator.Magnitude(image, 5, 5, magnitude);
        Assert.All(magnitude, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void CheckerboardCancelsInsideAndStripesReachTheStepMaximum()
    {
        // In a 0/255 checkerboard the kernel's left and right columns (and top and bottom rows) hold the same
        // values, so Gx = Gy = 0 at every interior pixel.
        var board = new float[64];
        for (int r = 0; r < 8; r++)
            for (int col = 0; col < 8; col++)
                board[r * 8 + col] = (r + col) % 2 == 0 ? 0 : 255;
        var magnitude = new float[64];
        SobelOperator.Magnitude(board, 8, 8, magnitude);
        for (int r = 1; r < 7; r++)
            for (int col = 1; col < 7; col++)
                Assert.Equal(0f, magnitude[r * 8 + col]);

        // Stripes 0,0,255,255,...: every interior pixel has 0 on one side and 255 on the other, so |Gx| = 4 * 255.
        var stripes = new float[4 * 8];
        for (int r = 0; r < 4; r++)
            for (int col = 0; col < 8; col++)
                stripes[r * 8 + col] = col % 4 < 2 ? 0 : 255;
        var stripeMagnitude = new float[32];
        SobelOperator.Magnitude(stripes, 4, 8, stripeMagnitude);
        for (int r = 0; r < 4; r++)
            for (int col = 1; col < 7; col++)
                Assert.Equal(1020f, stripeMagnitude[r * 8 + col]);
        Assert.True(1020 < SobelOperator.MaxMagnitude255);
    }

    [Fact]
    public void MismatchedSizesAreRejected() =>
        Assert.Throws<ArgumentException>(() => SobelOperator.Magnitude(new float[10], 3, 3, new float[10]));
}
