namespace MLNet.HeChunk.Datasets.Synthetic;

/// <summary>
/// The typical exposure of each class: mean gray level and contrast gain before per-image
/// variation. NEU-CLS classes were not photographed under identical conditions (inclusion and
/// scratch images tend to be darker and flatter, patches and crazing brighter and harsher), which
/// helps a plain intensity histogram to about 50% on NEU-CLS. The synthetic set copies that weak,
/// overlapping tendency instead of making exposure either a giveaway or pure noise.
/// </summary>
internal readonly record struct CameraExposure(double Level, double Gain)
{
    /// <summary>Half-width of the uniform spread of the gray level around the class's level.</summary>
    public const double LevelSpread = 0.06;

    private static readonly CameraExposure[] Typical =
    [
        new(0.56, 1.25), // crazing: bright, grainy
        new(0.46, 0.90), // inclusion: mid-gray, flat
        new(0.58, 1.20), // patches: bright background, dark blotches
        new(0.50, 1.00), // pitted surface
        new(0.44, 1.05), // rolled-in scale: somewhat dark
        new(0.40, 1.10), // scratches: dark background, bright lines
    ];

    /// <summary>Draws this image's exposure around its class's typical one.</summary>
    public static CameraExposure Draw(SteelDefectClass defectClass, Xoshiro256StarStar rng)
    {
        CameraExposure typical = Typical[(int)defectClass];
        return new CameraExposure(
            typical.Level + rng.Uniform(-LevelSpread, LevelSpread),
            typical.Gain * rng.Uniform(0.75, 1.3));
    }
}
