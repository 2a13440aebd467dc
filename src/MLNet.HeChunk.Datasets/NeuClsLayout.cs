namespace MLNet.HeChunk.Datasets;

/// <summary>
/// File naming of the NEU-CLS database: <c>&lt;root&gt;/&lt;Code&gt;/&lt;Code&gt;_&lt;n&gt;.bmp</c> with n counting from 1.
/// Synthetic sets are written in the same layout so one loader and one split serve both; the split rule itself has one
/// home, <c>MLNet.HeChunk.Data.NeuClsSplit</c> in the library that loads image folders.
/// </summary>
public static class NeuClsLayout
{
    /// <summary>File name of image <paramref name="number"/> of a class, e.g. <c>Cr_17.bmp</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="number"/> is below 1.</exception>
    public static string GetFileName(SteelDefectClass defectClass, int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return $"{SteelDefectClasses.ToCode(defectClass)}_{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}.bmp";
    }

    /// <summary>Path of image <paramref name="number"/> of a class under <paramref name="root"/>: <c>root/Code/Code_n.bmp</c>.</summary>
    public static string GetPath(string root, SteelDefectClass defectClass, int number)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Path.Combine(root, SteelDefectClasses.ToCode(defectClass), GetFileName(defectClass, number));
    }
}
