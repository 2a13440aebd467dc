namespace MLNet.HeChunk.Datasets.Tests;

public sealed class SteelDefectClassesTests
{
    [Fact]
    public void CodesAreTheNeuClsFolderNamesInLabelOrder()
    {
        Assert.Equal(["Cr", "In", "Pa", "PS", "RS", "Sc"], SteelDefectClasses.All.Select(SteelDefectClasses.ToCode));
        Assert.Equal(Enumerable.Range(0, 6), SteelDefectClasses.All.Select(c => (int)c));
        foreach (SteelDefectClass defectClass in SteelDefectClasses.All)
        {
            Assert.Equal(defectClass, SteelDefectClasses.FromCode(SteelDefectClasses.ToCode(defectClass)));
        }
    }

    [Fact]
    public void UnknownCodesAreRefused()
    {
        Assert.False(SteelDefectClasses.TryFromCode("ps", out _));
        Assert.False(SteelDefectClasses.TryFromCode(null, out _));
        ArgumentException error = Assert.Throws<ArgumentException>(() => SteelDefectClasses.FromCode("Xx"));
        Assert.Contains("Cr, In, Pa, PS, RS, Sc", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SteelDefectClasses.ToCode((SteelDefectClass)6));
    }

    [Fact]
    public void LayoutNamesFilesAndSplitsLikeNeuCls()
    {
        Assert.Equal("PS_17.bmp", NeuClsLayout.GetFileName(SteelDefectClass.PittedSurface, 17));
        Assert.Equal(Path.Combine("root", "Sc", "Sc_300.bmp"), NeuClsLayout.GetPath("root", SteelDefectClass.Scratches, 300));
        Assert.Equal([1, 5, 9], Enumerable.Range(1, 12).Where(MLNet.HeChunk.Data.NeuClsSplit.IsTestNumber));
        Assert.Throws<ArgumentOutOfRangeException>(() => NeuClsLayout.GetFileName(SteelDefectClass.Crazing, 0));
    }
}
