namespace MLNet.HeChunk.Datasets.Synthetic.Painters;

/// <summary>The painter of each class.</summary>
internal static class DefectPainters
{
    private static readonly IDefectPainter[] Painters =
    [
        new CrazingPainter(),
        new InclusionPainter(),
        new PatchesPainter(),
        new PittedSurfacePainter(),
        new RolledInScalePainter(),
        new ScratchesPainter(),
    ];

    public static IDefectPainter For(SteelDefectClass defectClass) => Painters[(int)defectClass];
}
