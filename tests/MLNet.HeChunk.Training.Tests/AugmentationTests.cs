using MLNet.HeChunk.Training;
using TorchSharp;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>The augmentation's affine maps do what their options say.</summary>
public sealed class AugmentationTests
{
    private const int Size = 8;

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void FlipsOnlyGiveExactMirrorsAndBothOutcomesOccur(bool horizontal, bool vertical)
    {
        var options = AugmentationOptions.None with { HorizontalFlip = horizontal, VerticalFlip = vertical, NearestNeighbor = true };
        float[] image = Enumerable.Range(0, Size * Size).Select(i => (float)i).ToArray();
        using var batch = torch.tensor(Enumerable.Repeat(image, 16).SelectMany(x => x).ToArray(), [16, 1, Size, Size]);
        using var augmented = new ImageAugmenter(options, new Random(1)).Apply(batch);
        float[] all = augmented.data<float>().ToArray();
        var seen = new HashSet<(bool, bool)>();
        for (int n = 0; n < 16; n++)
        {
            float[] result = all.AsSpan(n * Size * Size, Size * Size).ToArray();
            (bool, bool)? match = null;
            foreach ((bool fx, bool fy) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                if ((fx && !horizontal) || (fy && !vertical))
                    continue;
                if (result.SequenceEqual(Mirror(image, fx, fy)))
                    match = (fx, fy);
            }
            Assert.True(match.HasValue, $"image {n} is not an allowed mirror of the input");
            seen.Add(match.Value);
        }
        Assert.Equal((horizontal ? 2 : 1) * (vertical ? 2 : 1), seen.Count);
    }

    [Fact]
    public void RotationAndShiftStayWithinTheirBounds()
    {
        // A single bright pixel at the centre may move by at most shift + rotation about the centre (0 here).
        var options = AugmentationOptions.None with { MaxRotationDegrees = 15, MaxTranslationFraction = 0.1, NearestNeighbor = true };
        const int size = 40;
        var image = new float[size * size];
        image[20 * size + 20] = 255;
        using var batch = torch.tensor(Enumerable.Repeat(image, 32).SelectMany(x => x).ToArray(), [32, 1, size, size]);
        using var augmented = new ImageAugmenter(options, new Random(2)).Apply(batch);
        float[] all = augmented.data<float>().ToArray();
        int moved = 0;
        for (int n = 0; n < 32; n++)
        {
            int at = Array.IndexOf(all, 255f, n * size * size, size * size) - n * size * size;
            if (at < 0)
                continue; // nearest sampling may skip a single pixel under rotation
            int dy = at / size - 20, dx = at % size - 20;
            Assert.InRange(Math.Abs(dx), 0, 0.1 * size + 1);
            Assert.InRange(Math.Abs(dy), 0, 0.1 * size + 1);
            moved += dx != 0 || dy != 0 ? 1 : 0;
        }
        Assert.True(moved > 16, $"only {moved} of 32 images were shifted");
    }

    [Fact]
    public void NoneLeavesImagesUnchanged()
    {
        using var batch = torch.rand(3, 1, Size, Size);
        using var augmented = new ImageAugmenter(AugmentationOptions.None, new Random(3)).Apply(batch);
        Assert.Equal(batch.data<float>().ToArray(), augmented.data<float>().ToArray());
    }

    private static float[] Mirror(float[] image, bool x, bool y)
    {
        var result = new float[image.Length];
        for (int r = 0; r < Size; r++)
        {
            for (int c = 0; c < Size; c++)
                result[r * Size + c] = image[(y ? Size - 1 - r : r) * Size + (x ? Size - 1 - c : c)];
        }
        return result;
    }
}
