using MLNet.HeChunk.Imaging;

namespace MLNet.HeChunk.Tests;

/// <summary>Known answers of the texture descriptors.</summary>
public class TextureFeaturesTests
{
    [Fact]
    public void ConstantImageHasNoTexture()
    {
        float[] f = TextureFeatures.Compute(Enumerable.Repeat(100f, 3 * 32 * 32).ToArray(), 3, 32, 32);
        Assert.Equal(TextureFeatures.Count(3), f.Length);
        Assert.Equal(100f, f[0]);          // mean
        Assert.Equal(0f, f[1]);            // spread
        Assert.All(f.Skip(4).Take(5), p => Assert.Equal(100f, p)); // percentiles
        Assert.All(f.Skip(9).Take(4), g => Assert.Equal(0f, g));   // gradient mean, spread, median, 90th percentile
        // GLCM block of distance 1: four directional contrasts 0, then contrast 0, homogeneity 100 %, -ln(energy 1) = 0, correlation 0, entropy 0.
        int glcm = 9 + 14;
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 100f, 0f, 0f, 0f], f.Skip(glcm).Take(9));
        // LBP riu2: every neighbour equals the centre, so every pattern is "all ones" (bin 8, 100 %) at both radii.
        int lbp = glcm + 27;
        Assert.Equal(100f, f[lbp + 8]);
        Assert.Equal(100f, f[lbp + 10 + 8]);
        Assert.Equal([100f, 0f, 100f, 0f, 100f, 0f], f.Skip(lbp + 20));
    }

    [Fact]
    public void VerticalStripesShowInTheDirectionalFeatures()
    {
        // Columns in pairs of 0 and 255: all gradient energy is horizontal; GLCM contrast across columns is half the maximum (every
        // other neighbour pair differs by 15 levels), zero along them.
        const int side = 32;
        var image = new float[side * side];
        for (int r = 0; r < side; r++)
            for (int c = 0; c < side; c++)
                image[r * side + c] = c % 4 < 2 ? 0 : 255;
        float[] f = TextureFeatures.Compute(image, 1, side, side);
        Assert.Equal(TextureFeatures.Count(1), f.Length);
        Assert.True(f[13] > 5, $"log horizontal/vertical gradient energy {f[13]}");
        int glcm = 9 + 14;
        Assert.Equal(225.0 * 15 / 31, f[glcm + 0], 3); // direction (0, 1): 15 of each row's 31 neighbour pairs are levels 0 and 15
        Assert.Equal(0f, f[glcm + 2], 3);   // direction (1, 0): same level down a column
    }

    [Fact]
    public void BadSizesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => TextureFeatures.Compute(new float[100], 1, 10, 11));
        Assert.Throws<ArgumentException>(() => TextureFeatures.Compute(new float[64], 1, 8, 8));
        Assert.Throws<ArgumentException>(() => TextureFeatures.Compute(new float[2 * 100], 2, 10, 10));
    }
}
