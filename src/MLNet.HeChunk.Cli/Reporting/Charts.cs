using System.Globalization;
using MLNet.HeChunk.Cli.Reporting.Png;

namespace MLNet.HeChunk.Cli.Reporting;

/// <summary>The report's PNG charts, drawn from report.json data alone so <c>hechunk report</c> can redraw them.</summary>
internal static class Charts
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Figure 9 analogue: grouped bars of per-class accuracy, one colour per model.</summary>
    public static byte[] PerClassAccuracy(IReadOnlyList<string> classes, IReadOnlyList<ModelResult> models)
    {
        int groupWidth = 28 * models.Count + 24;
        int left = 70, top = 50, plotHeight = 300;
        var canvas = new RasterCanvas(Math.Max(620, left + classes.Count * groupWidth + 30), top + plotHeight + 60 + 22 * models.Count);
        canvas.Text(left, 14, "PER-CLASS TEST ACCURACY", Rgb.Black);
        for (int tick = 0; tick <= 4; tick++)
        {
            int y = top + plotHeight - tick * plotHeight / 4;
            canvas.Fill(left, y, classes.Count * groupWidth, 1, Rgb.Grid);
            string label = (tick * 25).ToString(Invariant) + "%";
            canvas.Text(left - 8 - RasterCanvas.TextWidth(label), y - 7, label, Rgb.Black);
        }

        for (int c = 0; c < classes.Count; c++)
        {
            int groupLeft = left + c * groupWidth + 12;
            for (int m = 0; m < models.Count; m++)
            {
                double value = c < models[m].PerClassAccuracy.Length ? models[m].PerClassAccuracy[c] : double.NaN;
                int height = double.IsNaN(value) ? 0 : (int)Math.Round(value * plotHeight);
                canvas.Fill(groupLeft + m * 28, top + plotHeight - height, 24, height, Rgb.Series[m % Rgb.Series.Count]);
            }

            canvas.TextCentered(groupLeft + models.Count * 14, top + plotHeight + 10, Shorten(classes[c], 8), Rgb.Black);
        }

        canvas.Fill(left, top + plotHeight, classes.Count * groupWidth, 2, Rgb.Black);
        Legend(canvas, left, top + plotHeight + 40, [.. models.Select(m => $"{m.Model} ({m.Accuracy.ToString("P1", Invariant)})")]);
        return canvas.ToPng();
    }

    /// <summary>Figure 10 analogue: one confusion-matrix heatmap per model, rows normalized, counts printed.</summary>
    public static byte[] ConfusionMatrices(IReadOnlyList<string> classes, IReadOnlyList<ModelResult> models)
    {
        int k = classes.Count;
        int cell = Math.Max(30, Math.Min(56, 360 / Math.Max(1, k)));
        int panel = 90 + cell * k;
        var canvas = new RasterCanvas(panel * models.Count + 20, 80 + cell * k + 50);
        for (int m = 0; m < models.Count; m++)
        {
            int left = 20 + m * panel + 70, top = 60;
            string title = models[m].Model.ToUpperInvariant();
            // Long titles drop to the small font rather than being cut.
            canvas.Text(left - 60, 12, title, Rgb.Black, RasterCanvas.TextWidth(title) <= panel - 20 ? 2 : 1);
            canvas.Text(left, 36, "PREDICTED", Rgb.Black, 1);
            for (int row = 0; row < k; row++)
            {
                int total = models[m].Confusion.Length > row ? models[m].Confusion[row].Sum() : 0;
                canvas.Text(left - 62, top + row * cell + cell / 2 - 7, Shorten(classes[row], 5), Rgb.Black);
                for (int col = 0; col < k; col++)
                {
                    int count = total == 0 ? 0 : models[m].Confusion[row][col];
                    double t = total == 0 ? 0 : (double)count / total;
                    canvas.Fill(left + col * cell, top + row * cell, cell - 1, cell - 1, Rgb.Heat(t));
                    string text = count.ToString(Invariant);
                    canvas.TextCentered(left + col * cell + cell / 2, top + row * cell + cell / 2 - 7, text, t > 0.55 ? Rgb.Gray(255) : Rgb.Black);
                }
            }

            for (int col = 0; col < k; col++)
            {
                canvas.TextCentered(left + col * cell + cell / 2, top + k * cell + 8, Shorten(classes[col], Math.Max(2, cell / 12)), Rgb.Black);
            }
        }

        return canvas.ToPng();
    }

    /// <summary>Histogram of the gate's chunk scores with the threshold marked.</summary>
    public static byte[] GateHistogram(GateSummary gate, double threshold)
    {
        int left = 80, top = 50, plotWidth = 512, plotHeight = 260;
        var canvas = new RasterCanvas(left + plotWidth + 40, top + plotHeight + 70);
        canvas.Text(left, 14, "SOBEL GATE: CHUNK SCORES (TEST SET)", Rgb.Black);
        int max = Math.Max(1, gate.Histogram.DefaultIfEmpty(0).Max());
        double binPixels = plotWidth / (256 / gate.BinWidth);
        for (int tick = 0; tick <= 4; tick++)
        {
            int y = top + plotHeight - tick * plotHeight / 4;
            canvas.Fill(left, y, plotWidth, 1, Rgb.Grid);
            string label = (max * tick / 4).ToString(Invariant);
            canvas.Text(left - 8 - RasterCanvas.TextWidth(label), y - 7, label, Rgb.Black);
        }

        for (int b = 0; b < gate.Histogram.Length; b++)
        {
            int height = (int)Math.Round((double)gate.Histogram[b] / max * plotHeight);
            bool feature = (b + 1) * gate.BinWidth > threshold;
            canvas.Fill(left + (int)(b * binPixels) + 1, top + plotHeight - height, (int)binPixels - 2, height, feature ? Rgb.Series[1] : Rgb.Series[0]);
        }

        int thresholdX = left + (int)(threshold / 256 * plotWidth);
        canvas.Fill(thresholdX - 1, top - 10, 3, plotHeight + 10, Rgb.Red);
        canvas.Text(thresholdX + 6, top - 8, "THRESHOLD " + threshold.ToString(Invariant), Rgb.Red);
        canvas.Fill(left, top + plotHeight, plotWidth, 2, Rgb.Black);
        foreach (int tick in new[] { 0, 64, 128, 192, 255 })
        {
            canvas.TextCentered(left + tick * plotWidth / 256, top + plotHeight + 8, tick.ToString(Invariant), Rgb.Black);
        }

        canvas.TextCentered(left + plotWidth / 2, top + plotHeight + 34, "MEAN SOBEL MAGNITUDE (0-255)", Rgb.Black);
        return canvas.ToPng();
    }

    private static void Legend(RasterCanvas canvas, int left, int top, IReadOnlyList<string> labels)
    {
        for (int i = 0; i < labels.Count; i++)
        {
            canvas.Fill(left, top + i * 22, 16, 14, Rgb.Series[i % Rgb.Series.Count]);
            canvas.Text(left + 24, top + i * 22, labels[i], Rgb.Black);
        }
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..Math.Max(1, max)];
}
