using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// A CKKS ciphertext: two polynomials (three right after a multiplication, before relinearization) over
/// q_0..q_level in the NTT domain, with its scale.
/// </summary>
public sealed class Ciphertext
{
    internal Ciphertext(CkksParameters parameters, RnsPoly[] components, double scale)
    {
        Parameters = parameters;
        Components = components;
        Scale = scale;
    }

    /// <summary>The parameter set this ciphertext belongs to.</summary>
    public CkksParameters Parameters { get; }

    /// <summary>Level: the number of rescales still possible.</summary>
    public int Level => Components[0].ResidueCount - 1;

    /// <summary>Number of polynomials: 2 normally, 3 after a multiplication and before relinearization.</summary>
    public int Size => Components.Length;

    /// <summary>The scale of the encrypted message.</summary>
    public double Scale { get; internal set; }

    internal RnsPoly[] Components { get; set; }

    /// <summary>
    /// For a fresh secret-key encryption: the seed its second component was expanded from, so it can be stored as
    /// 32 bytes. Cleared by any operation that changes the ciphertext.
    /// </summary>
    internal byte[]? Seed { get; set; }

    /// <summary>A deep copy.</summary>
    public Ciphertext Clone()
        => new(Parameters, Components.Select(c => c.Clone()).ToArray(), Scale) { Seed = Seed };

    internal static Ciphertext Allocate(CkksParameters parameters, int size, int level, double scale)
    {
        var components = new RnsPoly[size];
        for (int i = 0; i < size; i++)
        {
            components[i] = new RnsPoly(parameters.N, level + 1);
        }

        return new Ciphertext(parameters, components, scale);
    }
}
