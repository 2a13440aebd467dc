namespace MLNet.HeChunk.Datasets;

/// <summary>
/// The six surface-defect classes of the NEU-CLS database, in the order of its class codes
/// (Cr, In, Pa, PS, RS, Sc). The numeric values are stable and usable as label indices.
/// </summary>
public enum SteelDefectClass
{
    /// <summary>Crazing (code <c>Cr</c>): a fine network of shallow cracks.</summary>
    Crazing = 0,

    /// <summary>Inclusion (code <c>In</c>): small elongated foreign particles rolled into the surface.</summary>
    Inclusion = 1,

    /// <summary>Patches (code <c>Pa</c>): large blotchy regions of different tone.</summary>
    Patches = 2,

    /// <summary>Pitted surface (code <c>PS</c>): many small pits.</summary>
    PittedSurface = 3,

    /// <summary>Rolled-in scale (code <c>RS</c>): oxide scale flakes pressed into the surface.</summary>
    RolledInScale = 4,

    /// <summary>Scratches (code <c>Sc</c>): long thin lines.</summary>
    Scratches = 5,
}
