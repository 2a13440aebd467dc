using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Cli.Reporting;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>
/// A model's scores on the test set, evaluated with <c>mlContext.MulticlassClassification.Evaluate</c>: the figures of
/// the report (accuracy, macro accuracy, log loss, the confusion matrix) are ML.NET's; per-class accuracy and macro F1
/// are read off its confusion matrix.
/// </summary>
internal static class ClassificationEvaluation
{
    /// <summary>
    /// Maps the text Label column to keys whose key values are <paramref name="classNames"/> in their order (so that key i
    /// is class i, the order of every model's Score, whatever order the rows come in).
    /// </summary>
    public static ITransformer LabelKeys(MLContext ml, IReadOnlyList<string> classNames)
    {
        IDataView keyData = ml.Data.LoadFromEnumerable(classNames.Select(c => new KeyRow { Label = c }));
        return ml.Transforms.Conversion.MapValueToKey("Label", keyData: keyData).Fit(keyData);
    }

    /// <summary>
    /// Evaluates a scored view: Label a key column (see <see cref="LabelKeys"/>), Score the class probabilities, as the
    /// suite's scorers, <c>DecryptScores</c> and ML.NET's trainers write them.
    /// </summary>
    public static ModelResult Evaluate(MLContext ml, string model, IDataView scored)
    {
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
        int k = metrics.ConfusionMatrix.NumberOfClasses;
        int[][] confusion = [.. metrics.ConfusionMatrix.Counts.Select(row => row.Select(c => (int)Math.Round(c)).ToArray())];
        // The evaluator's prediction is the argmax of Score (the lower class on a tie), so is this one.
        int[] predictions = [.. scored.GetColumn<VBuffer<float>>("Score").Select(s => ArgMax(s.DenseValues().ToArray()))];
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
            Images = predictions.Length,
            Accuracy = metrics.MicroAccuracy,
            MacroAccuracy = metrics.MacroAccuracy,
            MacroF1 = f1.Count == 0 ? 0 : f1.Average(),
            LogLoss = metrics.LogLoss,
            PerClassAccuracy = perClass,
            Confusion = confusion,
            Predictions = predictions,
        };
    }

    /// <summary>
    /// Evaluates a model that is not an ML.NET transform (the original CNN, trained and run through TorchSharp): its logits
    /// become a Score column (softmax) beside the labels, then <see cref="Evaluate(MLContext, string, IDataView)"/>.
    /// </summary>
    public static ModelResult Evaluate(MLContext ml, string model, IReadOnlyList<string> labels, IReadOnlyList<double[]> logits, IReadOnlyList<string> classNames)
    {
        var schema = SchemaDefinition.Create(typeof(ScoredRow));
        schema[nameof(ScoredRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classNames.Count);
        IDataView data = ml.Data.LoadFromEnumerable(labels.Select((label, i) => new ScoredRow { Label = label, Score = ScoreDecryptor.Softmax(logits[i]) }).ToList(), schema);
        IDataView keyed = LabelKeys(ml, classNames).Transform(data);
        // Evaluate wants a PredictedLabel column but reads its metrics from argmax of Score, so a copy of the key type will do.
        return Evaluate(ml, model, ml.Transforms.CopyColumns("PredictedLabel", "Label").Fit(keyed).Transform(keyed));
    }

    private static int ArgMax(float[] scores) => Array.IndexOf(scores, scores.Max());

    private sealed class ScoredRow
    {
        public string Label { get; set; } = "";

        public float[] Score { get; set; } = [];
    }

    private sealed class KeyRow
    {
        public string Label { get; set; } = "";
    }
}
