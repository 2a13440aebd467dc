namespace MLNet.HeChunk.Datasets;

/// <summary>
/// File naming and split rule of the NEU-CLS database: <c>&lt;root&gt;/&lt;Code&gt;/&lt;Code&gt;_&lt;n&gt;.bmp</c>
/// with n counting from 1, and test images being those with <c>n % 4 == 1</c>.
/// Synthetic sets are written in the same layout so one loader and one split serve both.
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

    /// <summary>
    /// The split used for every reported figure: image <paramref name="number"/> belongs to the
    /// test set when <c>number % 4 == 1</c> (a quarter of each class), to the training set otherwise.
    /// </summary>
    public static bool IsTest(int number)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        return number % 4 == 1;
    }
}
