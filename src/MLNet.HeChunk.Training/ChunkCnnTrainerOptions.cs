namespace MLNet.HeChunk.Training;

/// <summary>Options of <see cref="ChunkCnnTrainerCatalog.ChunkCnn"/>.</summary>
public sealed class ChunkCnnTrainerOptions
{
    /// <summary>The label column: a key (class names from its key values) or text (classes in ordinal order).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The chunk vector column (pixels 0-255, chunk-major, from <c>SplitChunks</c>).</summary>
    public string ChunksColumnName { get; set; } = "Chunks";

    /// <summary>
    /// Texture-descriptor column (written by <c>PrepareChunks</c>); when the input has it, the model gets a descriptor head
    /// trained on it (see <see cref="ChunkCnnOptions.DescriptorHiddenSize"/>). Null never uses descriptors.
    /// </summary>
    public string? DescriptorsColumnName { get; set; } = "Descriptors";

    /// <summary>The probabilities column the fitted scorer writes.</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>The predicted key column the fitted scorer writes.</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    /// <summary>Network shape; the default is <see cref="ChunkCnnOptions.Stride7"/>.</summary>
    public ChunkCnnOptions? Model { get; set; }

    /// <summary>Training loop settings; the default is <see cref="ChunkCnnTrainer.DefaultTrainingOptions"/>.</summary>
    public TrainingOptions? Training { get; set; }

    /// <summary>Receives each epoch's figures (epoch, loss, accuracies, seconds).</summary>
    public IProgress<EpochProgress>? Progress { get; set; }

    /// <summary>
    /// The exported FC2 is scaled so that |logit| stays below this on the training data: the encrypted path's last
    /// prime leaves room for |logit| below 16 at its scale.
    /// </summary>
    public double LogitBound { get; set; } = 16;
}
