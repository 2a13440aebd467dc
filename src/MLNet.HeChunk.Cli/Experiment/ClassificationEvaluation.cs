using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Cli.Reporting;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>Scores of one model on the test set, evaluated with ML.NET's multiclass evaluator.</summary>
internal static class ClassificationEvaluation
{
    /// <summary>
    /// Evaluates logits against labels with <c>mlContext.MulticlassClassification.Evaluate</c> (softmax of the logits
    /// as Score, label and prediction as key columns of K values).
    /// </summary>
    public static ModelResult Evaluate(MLContext ml, string model, IReadOnlyList<int> labels, IReadOnlyList<double[]> logits, IReadOnlyList<string> classNames)
    {
        int k = classNames.Count;
        var rows = new List<EvaluationRow>(labels.Count);
        var predictions = new int[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            float[] score = Softmax(logits[i]);
            predictions[i] = Array.IndexOf(score, score.Max());
            rows.Add(new EvaluationRow { Label = classNames[labels[i]], Score = score, PredictedLabel = classNames[predictions[i]] });
        }

        // Labels become keys through MapValueToKey with the class names as key data, so key i is class i whatever
        // order the labels appear in (the layout docs/platform notes recommend for Evaluate).
        var schema = SchemaDefinition.Create(typeof(EvaluationRow));
        schema[nameof(EvaluationRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
        IDataView keyData = ml.Data.LoadFromEnumerable(classNames.Select(c => new KeyRow { Label = c }));
        IDataView data = ml.Data.LoadFromEnumerable(rows, schema);
        var keyed = ml.Transforms.Conversion.MapValueToKey(nameof(EvaluationRow.Label), keyData: keyData)
            .Append(ml.Transforms.Conversion.MapValueToKey(nameof(EvaluationRow.PredictedLabel), nameof(EvaluationRow.PredictedLabel), keyData: keyData))
            .Fit(data).Transform(data);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(keyed);

        int[][] confusion = [.. Enumerable.Range(0, k).Select(_ => new int[k])];
        for (int i = 0; i < labels.Count; i++)
        {
            confusion[labels[i]][predictions[i]]++;
        }

        double[] perClass = [.. Enumerable.Range(0, k).Select(c => confusion[c].Sum() == 0 ? double.NaN : (double)confusion[c][c] / confusion[c].Sum())];
        // Macro F1 over the classes present in the test labels (a class with neither examples nor predictions is skipped).
        var f1 = new List<double>();
        for (int c = 0; c < k; c++)
        {
            int truePositives = confusion[c][c], actual = confusion[c].Sum(), predicted = confusion.Sum(row => row[c]);
            if (actual == 0 && predicted == 0)
            {
                continue;
            }

            f1.Add(2.0 * truePositives / (actual + predicted));
        }

        return new ModelResult
        {
            Model = model,
            Images = labels.Count,
            Accuracy = metrics.MicroAccuracy,
            MacroAccuracy = metrics.MacroAccuracy,
            MacroF1 = f1.Count == 0 ? 0 : f1.Average(),
            LogLoss = metrics.LogLoss,
            PerClassAccuracy = perClass,
            Confusion = confusion,
            Predictions = predictions,
        };
    }

    /// <summary>Numerically stable softmax.</summary>
    public static float[] Softmax(IReadOnlyList<double> logits)
    {
        double max = logits.Max();
        double[] e = [.. logits.Select(l => Math.Exp(l - max))];
        double sum = e.Sum();
        return [.. e.Select(v => (float)(v / sum))];
    }

    private sealed class EvaluationRow
    {
        public string Label { get; set; } = "";

        public float[] Score { get; set; } = [];

        public string PredictedLabel { get; set; } = "";
    }

    private sealed class KeyRow
    {
        public string Label { get; set; } = "";
    }
}
