using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>
/// Both trainers must learn six easy synthetic textures to high held-out accuracy within seconds;
/// a loop that shuffles labels against images, drops the optimizer step or mangles chunks fails.
/// </summary>
public sealed class SyntheticTrainingTests
{
    private const int Size = 56;

    private static readonly TrainingOptions Fast = new()
    {
        Seed = 7,
        MaxEpochs = 12,
        Patience = 12,
        ValidationFraction = 0.15,
        BatchSize = 16,
        LearningRate = 3e-3,
        GradientClipNorm = 1.0,
        WeightDecay = 1e-4,
        Augmentation = AugmentationOptions.None,
    };

    [Fact]
    public void ChunkCnnLearnsSyntheticTextures()
    {
        ImageDataset train = SyntheticPatterns.Generate(perClass: 40, Size, seed: 1);
        ImageDataset test = SyntheticPatterns.Generate(perClass: 20, Size, seed: 2);
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(train, new ChunkCnnOptions { ChunkSize = 28 }, Fast);
        double accuracy = model.Accuracy(test);
        Assert.True(accuracy >= 0.9, $"held-out accuracy {accuracy:P1}");
        Assert.Equal(6, model.Model.ClassCount);
    }

    [Fact]
    public void OriginalCnnLearnsSyntheticTextures()
    {
        ImageDataset train = SyntheticPatterns.Generate(perClass: 40, Size, seed: 1);
        ImageDataset test = SyntheticPatterns.Generate(perClass: 20, Size, seed: 2);
        using TrainedOriginalCnn model = OriginalCnnTrainer.Train(train, new OriginalCnnOptions(), Fast with { LearningRate = 1e-3 });
        double accuracy = model.Accuracy(test);
        Assert.True(accuracy >= 0.9, $"held-out accuracy {accuracy:P1}");
    }

    [Fact]
    public void ChunkCnnWithAugmentationStillLearns()
    {
        // The paper's augmentation (rotation, flip, translation) must not destroy the signal.
        ImageDataset train = SyntheticPatterns.Generate(perClass: 40, Size, seed: 3);
        ImageDataset test = SyntheticPatterns.Generate(perClass: 20, Size, seed: 4);
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(
            train, new ChunkCnnOptions { ChunkSize = 28, Stride = 7, Channels = 16 }, Fast with { Augmentation = new AugmentationOptions() });
        double accuracy = model.Accuracy(test);
        Assert.True(accuracy >= 0.85, $"held-out accuracy {accuracy:P1}");
    }
}
