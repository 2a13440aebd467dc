using Microsoft.ML.Data;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// The Score and PredictedLabel columns of a classifier's output, typed and annotated the way
/// <c>mlContext.MulticlassClassification.Evaluate</c> expects: Score a <c>Vector&lt;Single, K&gt;</c> whose slot
/// names are the class names, PredictedLabel a key of K values whose key values are the class names.
/// </summary>
internal static class ClassColumns
{
    public static void Annotate(SchemaDefinition.Column score, SchemaDefinition.Column predictedLabel, IReadOnlyList<string> classNames)
    {
        int k = classNames.Count;
        var names = new VBuffer<ReadOnlyMemory<char>>(k, classNames.Select(n => n.AsMemory()).ToArray());
        var namesType = new VectorDataViewType(TextDataViewType.Instance, k);
        score.ColumnType = new VectorDataViewType(NumberDataViewType.Single, k);
        score.AddAnnotation("SlotNames", names, namesType);
        predictedLabel.ColumnType = new KeyDataViewType(typeof(uint), k);
        predictedLabel.AddAnnotation("KeyValues", names, namesType);
    }

    /// <summary>1-based key of the largest score (ties go to the lower class, as argmax does).</summary>
    public static uint ArgMaxKey(ReadOnlySpan<float> scores)
    {
        int best = 0;
        for (int i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return (uint)best + 1;
    }

    public static void RequireClassNames(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count < 2 || classNames.Distinct(StringComparer.Ordinal).Count() != classNames.Count || classNames.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"class names must be at least two distinct non-empty names; found [{string.Join(", ", classNames)}]", nameof(classNames));
        }
    }
}
