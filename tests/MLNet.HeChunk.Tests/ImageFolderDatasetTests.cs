using MLNet.HeChunk.Data;

namespace MLNet.HeChunk.Tests;

public sealed class ImageFolderDatasetTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hechunk-images-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    // The scan checks each header (dimensions, depth, completeness), so the files are small but complete images.
    private static readonly byte[] BmpHead = ImageBombTests.Bmp8(4, 4);
    private static readonly byte[] PngHead = ImageBombTests.Png(4, 4);

    private string Write(string relative, byte[]? content = null)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content ?? BmpHead);
        return path;
    }

    [Fact]
    public void ClassSubfoldersGiveFolderNamesAsLabelsInNumericOrder()
    {
        foreach (var n in new[] { 10, 2, 1 })
            Write($"Cr/Cr_{n}.bmp");
        Write("In/In_1.bmp");
        Write("In/notes.txt", [1, 2]);                 // not an image: ignored
        Write(".cache/x.bmp");                         // hidden folder: ignored
        var samples = ImageFolderDataset.Scan(_root, out var layout);
        Assert.Equal(ImageFolderLayout.ClassSubfolders, layout);
        Assert.Equal(["Cr_1", "Cr_2", "Cr_10", "In_1"], samples.Select(s => Path.GetFileNameWithoutExtension(s.ImagePath)));
        Assert.Equal(["Cr", "Cr", "Cr", "In"], samples.Select(s => s.Label));
    }

    [Fact]
    public void AnyFolderPerClassSetWorksWhateverTheFileNames()
    {
        Write("cats/a.png", PngHead);
        Write("dogs/b.png", PngHead);
        Write("birds/c.PNG", PngHead);
        var view = ImageFolderDataset.Load(new MLContext(), _root);
        var rows = new MLContext().Data.CreateEnumerable<ImageFolderSample>(view, reuseRowObject: false).ToList();
        Assert.Equal(["birds", "cats", "dogs"], rows.Select(r => r.Label));
        Assert.All(rows, r => Assert.True(File.Exists(r.ImagePath)));
    }

    [Fact]
    public void FlatFolderTakesTheClassFromTheFilePrefix()
    {
        Write("Pa_3.bmp");
        Write("Pa_1.bmp");
        Write("Rolled_in_1.bmp");
        var samples = ImageFolderDataset.Scan(_root, out var layout);
        Assert.Equal(ImageFolderLayout.FlatPrefixed, layout);
        Assert.Equal(["Pa", "Pa", "Rolled_in"], samples.Select(s => s.Label));
    }

    [Fact]
    public void MissingEmptySingleClassUnlabelledAndUnreadableAreRefusedClearly()
    {
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolderDataset.Scan(Path.Combine(_root, "absent")));
        Assert.Contains("no image files", Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Scan(_root)).Message);

        Write("Cr_1.bmp");
        Write("Cr_2.bmp");
        Assert.Contains("single class", Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Scan(_root)).Message);

        Write("nonumber.bmp");
        Assert.Contains("<Class>_<n>", Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Scan(_root)).Message);
        File.Delete(Path.Combine(_root, "nonumber.bmp"));

        var broken = Write("In_1.bmp", [0, 1, 2, 3, 4]);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Scan(_root));
        Assert.Contains(broken, e.Message);
        Write("In_1.bmp", [(byte)'B']);                // truncated
        Assert.Contains("signature", Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Scan(_root)).Message);
    }

    [Fact]
    public void MixedLayoutAndEmptyClassFolderAreRefused()
    {
        Write("Cr/Cr_1.bmp");
        Write("In/In_1.bmp");
        Directory.CreateDirectory(Path.Combine(_root, "Sc"));
        Assert.Contains("Sc", Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Scan(_root)).Message);
        Directory.Delete(Path.Combine(_root, "Sc"));
        Write("Pa_1.bmp");
        Assert.Contains("ambiguous", Assert.Throws<InvalidDataException>(() => ImageFolderDataset.Scan(_root)).Message);
    }

    [Fact]
    public void NeuClsSplitPutsNumbersCongruentToOneModFourInTest()
    {
        for (int n = 1; n <= 8; n++)
        {
            Write($"Cr/Cr_{n}.bmp");
            Write($"Sc/Sc_{n}.bmp");
        }
        var (train, test) = NeuClsSplit.Split(ImageFolderDataset.Scan(_root));
        Assert.Equal(["Cr_1", "Cr_5", "Sc_1", "Sc_5"], test.Select(s => Path.GetFileNameWithoutExtension(s.ImagePath)));
        Assert.Equal(12, train.Count);
        Assert.True(NeuClsSplit.IsTest("/x/Pa_101.bmp"));
        Assert.True(NeuClsSplit.IsTest("Pa_105.bmp"));
        Assert.False(NeuClsSplit.IsTest("Pa_4.bmp"));
        Assert.Throws<FormatException>(() => NeuClsSplit.IsTest("Pa.bmp"));
    }
}
