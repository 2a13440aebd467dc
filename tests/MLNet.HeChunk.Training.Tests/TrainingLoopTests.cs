using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>Determinism, progress reporting, early stopping and the kept weights.</summary>
public sealed class TrainingLoopTests
{
    private static readonly ChunkCnnOptions SmallChunks = new() { ChunkSize = 14, Stride = 7, Channels = 8, HiddenSize = 16 };

    private static TrainingOptions Options(int seed, int epochs = 3) => new()
    {
        Seed = seed,
        MaxEpochs = epochs,
        Patience = epochs,
        BatchSize = 16,
        LearningRate = 3e-3,
        GradientClipNorm = 1.0,
        Threads = 2,
    };

    [Fact]
    public void SameSeedGivesIdenticalWeightsAndDifferentSeedDoesNot()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 12, size: 28, seed: 5);
        byte[] first = Train(data, seed: 11);
        byte[] again = Train(data, seed: 11);
        byte[] other = Train(data, seed: 12);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);

        static byte[] Train(ImageDataset data, int seed)
        {
            using TrainedChunkCnn model = ChunkCnnTrainer.Train(data, SmallChunks, Options(seed));
            return ChunkCnnWeightsSerializer.Serialize(model.Export());
        }
    }

    [Fact]
    public void ProgressReportsEveryEpochInOrder()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 10, size: 28, seed: 6);
        var reports = new List<EpochProgress>();
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(data, SmallChunks, Options(1, epochs: 4), new ListProgress(reports));
        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Epoch));
        Assert.Equal(reports, model.History.Epochs);
        Assert.All(reports, r =>
        {
            Assert.True(double.IsFinite(r.Loss) && r.Loss > 0);
            Assert.InRange(r.TrainAccuracy, 0, 1);
            Assert.NotNull(r.ValidationAccuracy);
            Assert.True(r.Seconds > 0);
        });
        Assert.True(reports[0].IsBest);
    }

    [Fact]
    public void KeepsTheBestEpochsWeights()
    {
        // A learning rate far too high makes later epochs worse than an early one; the model returned
        // must still score, on the same validation images, what its best epoch scored.
        ImageDataset data = SyntheticPatterns.Generate(perClass: 15, size: 28, seed: 8);
        var options = Options(4, epochs: 8) with { LearningRate = 0.05, GradientClipNorm = 0, Patience = 8 };
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(data, SmallChunks, options);
        EpochProgress best = model.History.Epochs.Single(e => e.Epoch == model.History.BestEpoch);
        (_, ImageDataset? validation) = ValidationSplit.Split(data, options.ValidationFraction, options.Seed);
        Assert.NotNull(validation);
        Assert.Equal(best.ValidationAccuracy!.Value, model.Accuracy(validation), 6);
        Assert.Equal(model.History.Epochs.Max(e => e.ValidationAccuracy!.Value), best.ValidationAccuracy!.Value);
    }

    [Fact]
    public void SelectingOnValidationLossKeepsTheLowestLossEpoch()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 15, size: 28, seed: 8);
        var options = Options(3, epochs: 8) with { LearningRate = 0.05, GradientClipNorm = 0, Patience = 8, SelectOnValidationLoss = true };
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(data, SmallChunks, options);
        EpochProgress best = model.History.Epochs.Single(e => e.Epoch == model.History.BestEpoch);
        // Lowest up to MinValidationLossDelta: no epoch beats the kept one by more than that.
        Assert.All(model.History.Epochs, e => Assert.True(e.ValidationLoss!.Value >= best.ValidationLoss!.Value - options.MinValidationLossDelta));
        (_, ImageDataset? validation) = ValidationSplit.Split(data, options.ValidationFraction, options.Seed);
        Assert.NotNull(validation);
        Assert.Equal(best.ValidationAccuracy!.Value, model.Accuracy(validation), 6);
        // In this run accuracy-first selection would keep another epoch, so the test tells the two rules apart.
        int accuracyFirst = model.History.Epochs.OrderByDescending(e => e.ValidationAccuracy).ThenBy(e => e.ValidationLoss).First().Epoch;
        Assert.NotEqual(accuracyFirst, model.History.BestEpoch);
    }

    [Fact]
    public void StopsEarlyWhenValidationStopsImproving()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 10, size: 28, seed: 9);
        // Learning rate so small that nothing improves after the first epochs: patience 2 must stop the run.
        var options = Options(2, epochs: 30) with { Patience = 2, LearningRate = 1e-7 };
        // Without batch normalization: its running statistics would keep changing the validation loss.
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(data, SmallChunks with { FoldedBatchNorm = false }, options);
        Assert.True(model.History.StoppedEarly);
        Assert.True(model.History.Epochs.Count < 30);
        Assert.Equal(model.History.BestEpoch + 2, model.History.Epochs.Count);
    }

    [Fact]
    public void ValidationSplitIsStratifiedAndDisjoint()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 20, size: 28, seed: 10);
        (ImageDataset train, ImageDataset? validation) = ValidationSplit.Split(data, 0.25, 3);
        Assert.NotNull(validation);
        Assert.Equal(data.Count, train.Count + validation.Count);
        Assert.All(Enumerable.Range(0, 6), c => Assert.Equal(5, validation.Labels.Count(l => l == c)));
        Assert.Empty(train.Images.Intersect(validation.Images, ReferenceEqualityComparer.Instance));
    }

    [Fact]
    public void ClassCountComesFromTheLabels()
    {
        var images = Enumerable.Range(0, 3).Select(_ => new float[4]).ToArray();
        Assert.Equal(4, new ImageDataset(images, [0, 3, 1], 2, 2).ClassCount);
        Assert.Throws<ArgumentException>(() => new ImageDataset(images, [0, 3, 1], 2, 2, classCount: 3));
        Assert.Throws<ArgumentException>(() => new ImageDataset(images, [0, -1, 1], 2, 2));
        Assert.Throws<ArgumentException>(() => new ImageDataset(images, [0, 1, 1], 3, 2));
    }

    [Fact]
    public void RejectsImagesThatAreNotWholeChunks()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 2, size: 30, seed: 1);
        Assert.Throws<ArgumentException>(() => ChunkCnnTrainer.Train(data, new ChunkCnnOptions { ChunkSize = 28 }, Options(1)));
    }

    private sealed class ListProgress(List<EpochProgress> list) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value) => list.Add(value);
    }
}
