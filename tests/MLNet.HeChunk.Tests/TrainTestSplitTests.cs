using MLNet.HeChunk.Data;

namespace MLNet.HeChunk.Tests;

/// <summary>The one split of an image folder: the NEU-CLS rule where it applies, the stratified rule otherwise.</summary>
public sealed class TrainTestSplitTests
{
    private static List<ImageFolderSample> Samples(string[] classes, int perClass, Func<string, int, string> name) =>
        [.. classes.SelectMany(c => Enumerable.Range(1, perClass).Select(n => new ImageFolderSample { Label = c, ImagePath = $"/d/{c}/{name(c, n)}" }))];

    [Fact]
    public void NumberedFilesFollowTheNeuClsRule()
    {
        var split = TrainTestSplit.Of(Samples(["Sc", "Cr"], 8, (c, n) => $"{c}_{n}.bmp"));
        Assert.Equal(TrainTestSplit.NeuClsRule, split.Rule);
        Assert.Equal(["Cr", "Sc"], split.ClassNames);
        Assert.All(split.Test, s => Assert.True(NeuClsSplit.IsTest(s.ImagePath)));
        Assert.Equal(4, split.Test.Count); // 1 and 5 of each class
        Assert.Equal(12, split.Train.Count);
    }

    [Fact]
    public void UnnumberedFilesOrARuleThatEmptiesAClassFallBackToTheStratifiedRule()
    {
        var words = TrainTestSplit.Of(Samples(["a", "b"], 5, (_, n) => $"img{(char)('a' + n)}.png"));
        Assert.Equal(TrainTestSplit.StratifiedRule, words.Rule);
        Assert.Equal(["imgc.png"], words.Test.Where(s => s.Label == "a").Select(s => Path.GetFileName(s.ImagePath)));

        // Numbers 2..4 only: n % 4 == 1 never holds, so the NEU-CLS rule would leave no test image.
        var numbered = TrainTestSplit.Of(Samples(["a", "b"], 3, (c, n) => $"{c}_{n + 1}.bmp"));
        Assert.Equal(TrainTestSplit.StratifiedRule, numbered.Rule);
        Assert.Equal(2, numbered.Test.Count);
    }

    [Fact]
    public void AClassOfOneImageIsRefusedAndLimitTestTakesClassesInTurn()
    {
        var samples = Samples(["a", "b"], 9, (c, n) => $"{c}_{n}.bmp");
        samples.Add(new ImageFolderSample { Label = "c", ImagePath = "/d/c/c_1.bmp" });
        Assert.Contains("'c'", Assert.Throws<InvalidDataException>(() => TrainTestSplit.Of(samples)).Message);

        var split = TrainTestSplit.Of(Samples(["a", "b"], 9, (c, n) => $"{c}_{n}.bmp"));
        var limited = split.LimitTest(3);
        Assert.Equal(["a", "b", "a"], limited.Test.Select(s => s.Label));
        Assert.Same(split, split.LimitTest(null));
        Assert.Throws<ArgumentOutOfRangeException>(() => split.LimitTest(0));
    }
}
