using MLNet.HeChunk.Datasets.Imaging;

namespace MLNet.HeChunk.Datasets.Tests.Imaging;

public sealed class GrayImageTests
{
    [Fact]
    public void PixelsAreRowMajorTopRowFirstAndCopiedOnConstruction()
    {
        byte[] source = [1, 2, 3, 4, 5, 6];
        var image = new GrayImage(3, 2, source);
        source[0] = 99;

        Assert.Equal(1, image[0, 0]);
        Assert.Equal(3, image[2, 0]);
        Assert.Equal(4, image[0, 1]);
        Assert.Equal(new byte[] { 4, 5, 6 }, image.GetRow(1).ToArray());
    }

    [Fact]
    public void WrongPixelCountAndPositionsOutsideAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new GrayImage(3, 2, new byte[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(0, 2, []));
        var image = new GrayImage(3, 2, new byte[6]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[3, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image[0, -1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.GetRow(2));
    }

    [Fact]
    public void EqualityComparesSizeAndContent()
    {
        var a = new GrayImage(2, 3, [1, 2, 3, 4, 5, 6]);
        var same = new GrayImage(2, 3, [1, 2, 3, 4, 5, 6]);
        var transposed = new GrayImage(3, 2, [1, 2, 3, 4, 5, 6]);
        var changed = new GrayImage(2, 3, [1, 2, 3, 4, 5, 7]);

        Assert.Equal(a, same);
        Assert.Equal(a.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(a, transposed);
        Assert.NotEqual(a, changed);
    }
}
