using System.Globalization;
using System.Text;

namespace MLNet.HeChunk.Datasets.Tests.Baselines;

/// <summary>Test-split accuracy of a baseline, with the confusion matrix (rows: truth, columns: prediction).</summary>
internal sealed record BaselineResult(double Accuracy, int TestImages, int[,] Confusion)
{
    public string Describe(string name)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{name}: {Accuracy:P1} of {TestImages} test images").AppendLine();
        text.AppendLine("truth\\pred  Cr  In  Pa  PS  RS  Sc");
        for (int t = 0; t < SteelDefectClasses.Count; t++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{SteelDefectClasses.ToCode((SteelDefectClass)t),-10}");
            for (int p = 0; p < SteelDefectClasses.Count; p++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{Confusion[t, p],4}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
