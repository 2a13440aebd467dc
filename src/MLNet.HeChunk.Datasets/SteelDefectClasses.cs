namespace MLNet.HeChunk.Datasets;

/// <summary>
/// The NEU-CLS class codes (<c>Cr</c>, <c>In</c>, <c>Pa</c>, <c>PS</c>, <c>RS</c>, <c>Sc</c>)
/// and their mapping to <see cref="SteelDefectClass"/>.
/// </summary>
public static class SteelDefectClasses
{
    private static readonly string[] Codes = ["Cr", "In", "Pa", "PS", "RS", "Sc"];

    private static readonly SteelDefectClass[] AllClasses =
    [
        SteelDefectClass.Crazing,
        SteelDefectClass.Inclusion,
        SteelDefectClass.Patches,
        SteelDefectClass.PittedSurface,
        SteelDefectClass.RolledInScale,
        SteelDefectClass.Scratches,
    ];

    /// <summary>Number of classes (6).</summary>
    public const int Count = 6;

    /// <summary>All classes, in label-index order.</summary>
    public static IReadOnlyList<SteelDefectClass> All => AllClasses;

    /// <summary>Returns the NEU-CLS code of <paramref name="defectClass"/>, e.g. <c>PS</c> for pitted surface.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined class.</exception>
    public static string ToCode(SteelDefectClass defectClass)
    {
        int index = (int)defectClass;
        if ((uint)index >= (uint)Codes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(defectClass), defectClass, "Not a defined steel defect class.");
        }

        return Codes[index];
    }

    /// <summary>
    /// Parses a NEU-CLS class code. Matching is exact (case-sensitive), because the database
    /// itself distinguishes codes only by case-sensitive file-name prefixes.
    /// </summary>
    /// <returns><c>true</c> if <paramref name="code"/> is one of the six codes.</returns>
    public static bool TryFromCode(string? code, out SteelDefectClass defectClass)
    {
        for (int i = 0; i < Codes.Length; i++)
        {
            if (string.Equals(Codes[i], code, StringComparison.Ordinal))
            {
                defectClass = AllClasses[i];
                return true;
            }
        }

        defectClass = default;
        return false;
    }

    /// <summary>Parses a NEU-CLS class code such as <c>Sc</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="code"/> is not one of the six codes.</exception>
    public static SteelDefectClass FromCode(string code)
    {
        if (TryFromCode(code, out SteelDefectClass defectClass))
        {
            return defectClass;
        }

        throw new ArgumentException(
            $"'{code}' is not a NEU-CLS class code; expected one of {string.Join(", ", Codes)}.", nameof(code));
    }
}
