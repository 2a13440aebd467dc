using Microsoft.ML;
using MLNet.HeChunk.Cli.Experiment;

namespace MLNet.HeChunk.Cli.Tests;

/// <summary>The ML.NET evaluation of logits agrees with a direct count.</summary>
public class EvaluationTests
{
    [Fact]
    public void AccuracyMatchesTheConfusionMatrix()
    {
        var ml = new MLContext(1);
        string[] classes = ["a", "b", "c", "d", "e", "f"];
        var logits = classes.Select(_ => new double[] { 5, 0, 0, 0, 0, 0 }).ToList();
        var result = ClassificationEvaluation.Evaluate(ml, "m", classes, logits, classes);
        Assert.Equal(1, result.Confusion[0][0]);
        Assert.Equal(1.0 / 6, result.Accuracy, 6);
    }
}
