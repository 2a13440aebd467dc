namespace MLNet.HeChunk.Datasets.Synthetic.Painters;

/// <summary>Draws the marks of one defect class onto a background.</summary>
internal interface IDefectPainter
{
    /// <summary>
    /// Adds this class's defect marks to <paramref name="canvas"/>. <paramref name="rollingAngle"/>
    /// is the rolling direction in radians; defects formed by rolling align with it.
    /// </summary>
    void Paint(Canvas canvas, Xoshiro256StarStar rng, double rollingAngle);
}
