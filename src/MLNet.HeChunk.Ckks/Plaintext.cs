using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>An encoded message: one polynomial over q_0..q_level in the NTT domain, with the scale it was encoded at.</summary>
public sealed class Plaintext
{
    internal Plaintext(CkksParameters parameters, RnsPoly poly, double scale)
    {
        Parameters = parameters;
        Poly = poly;
        Scale = scale;
    }

    /// <summary>The parameter set this plaintext belongs to.</summary>
    public CkksParameters Parameters { get; }

    /// <summary>Level: the number of rescales still possible.</summary>
    public int Level => Poly.ResidueCount - 1;

    /// <summary>The factor the message was multiplied by before rounding.</summary>
    public double Scale { get; internal set; }

    internal RnsPoly Poly { get; set; }
}
