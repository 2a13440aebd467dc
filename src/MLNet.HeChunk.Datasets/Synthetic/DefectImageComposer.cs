using MLNet.HeChunk.Datasets.Imaging;
using MLNet.HeChunk.Datasets.Synthetic.Painters;

namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// Builds one synthetic image: background, then the class's defect marks, then the camera.
/// All randomness comes from one generator seeded by (seed, class, number), so any image can be
/// made alone, in any order, on any thread, and always comes out the same.
/// </summary>
internal static class DefectImageComposer
{
    public static GrayImage Compose(SteelDefectClass defectClass, int number, int width, int height, ulong seed)
    {
        var rng = new Xoshiro256StarStar(ImageSeed(seed, defectClass, number));
        var canvas = new Canvas(width, height);

        // Rolling direction: along one image axis, as a camera over a strip is usually mounted,
        // but either axis and a few degrees off, so orientation alone names no class.
        double rollingAngle = (rng.Chance(0.5) ? Math.PI / 2 : 0) + rng.Uniform(-0.35, 0.35);

        MetalBackground.Paint(canvas, rng, rollingAngle);
        DefectPainters.For(defectClass).Paint(canvas, rng, rollingAngle);
        CameraExposure exposure = CameraExposure.Draw(defectClass, rng);
        byte[] pixels = SensorFinish.Apply(canvas, exposure, rng);
        return GrayImage.WrapOwned(width, height, pixels);
    }

    /// <summary>Mixes the three coordinates of an image into one seed; nearby inputs give unrelated outputs.</summary>
    private static ulong ImageSeed(ulong seed, SteelDefectClass defectClass, int number)
    {
        ulong h = SplitMix64.Mix(seed);
        h = SplitMix64.Mix(h ^ (ulong)((int)defectClass + 1));
        return SplitMix64.Mix(h + (ulong)number);
    }
}
