using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Imaging;
using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>The chunk CNN with a texture-descriptor head: export folds the standardization and normalization, and the plain forward pass reproduces TorchSharp.</summary>
public sealed class DescriptorHeadTrainingTests
{
    private static ImageDataset WithDescriptors(ImageDataset data) => new(data.Images, data.Labels, data.Height, data.Width, data.ClassCount,
        [.. data.Images.Select(i => TextureFeatures.Compute(i, 1, data.Height, data.Width))]);

    [Fact]
    public void ExportedHeadReproducesTorchSharpLogits()
    {
        ImageDataset data = WithDescriptors(SyntheticPatterns.Generate(perClass: 8, 56, seed: 31));
        var options = new TrainingOptions { Seed = 3, MaxEpochs = 3, Patience = 3, LearningRate = 3e-3, GradientClipNorm = 1, BatchSize = 16 };
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(data, new ChunkCnnOptions { Stride = 7, Channels = 8, HiddenSize = 16, DescriptorHiddenSize = 12 }, options);
        Assert.True(model.Model.HasDescriptorHead);
        ChunkCnnWeights weights = model.Export(logitScale: 2);
        Assert.NotNull(weights.DescriptorHead);
        Assert.Equal(TextureFeatures.Count(1), weights.DescriptorHead!.InputCount);
        Assert.True(weights.DescriptorHead.HiddenBound > 0);
        double[][] torch = model.Logits(data.Images, data.Descriptors);
        double largest = torch.SelectMany(l => l).Max(Math.Abs);
        double headShare = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double[] plain = ChunkCnnReferenceForward.Logits(weights, data.Images[i], data.Descriptors![i]);
            for (int k = 0; k < plain.Length; k++)
                Assert.True(Math.Abs(2 * plain[k] - torch[i][k]) <= 1e-4 * Math.Max(1, largest), $"image {i} class {k}: {2 * plain[k]} vs {torch[i][k]}");
            headShare = Math.Max(headShare, weights.DescriptorHead.Logits(data.Descriptors[i]).Max(Math.Abs));
        }
        Assert.True(headShare > 1e-3, "the head contributes nothing, so the comparison would not test it");

        // The weights, head included, survive their byte format.
        ChunkCnnWeights reread = ChunkCnnWeightsSerializer.Deserialize(ChunkCnnWeightsSerializer.Serialize(weights));
        Assert.Equal(weights.DescriptorHead.Fc1Weights, reread.DescriptorHead!.Fc1Weights);
        Assert.Equal(weights.DescriptorHead.Fc2Bias, reread.DescriptorHead.Fc2Bias);
        Assert.Equal(weights.DescriptorHead.HiddenBound, reread.DescriptorHead.HiddenBound);
        Assert.Equal(ChunkCnnReferenceForward.Logits(weights, data.Images[0], data.Descriptors![0]), ChunkCnnReferenceForward.Logits(reread, data.Images[0], data.Descriptors[0]));
    }

    [Fact]
    public void HeadOffOrNoDescriptorsGivesAChunkOnlyModel()
    {
        ImageDataset plain = SyntheticPatterns.Generate(perClass: 4, 28, seed: 32);
        var options = new TrainingOptions { MaxEpochs = 1, Patience = 1 };
        var geometry = new ChunkCnnOptions { ChunkSize = 14, Stride = 7, Channels = 4, HiddenSize = 8 };
        using TrainedChunkCnn noData = ChunkCnnTrainer.Train(plain, geometry, options);
        Assert.Null(noData.Export().DescriptorHead);
        using TrainedChunkCnn turnedOff = ChunkCnnTrainer.Train(WithDescriptors(plain), geometry with { DescriptorHiddenSize = 0 }, options);
        Assert.Null(turnedOff.Export().DescriptorHead);
    }

    [Fact]
    public void DescriptorsOfTheWrongShapeAreRefused()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 2, 28, seed: 33);
        Assert.Throws<ArgumentException>(() => new ImageDataset(data.Images, data.Labels, 28, 28, descriptors: [new float[3]]));
        float[][] ragged = [.. data.Images.Select((_, i) => new float[i == 0 ? 4 : 5])];
        Assert.Throws<ArgumentException>(() => new ImageDataset(data.Images, data.Labels, 28, 28, descriptors: ragged));
        float[][] nan = [.. data.Images.Select(_ => new[] { float.NaN })];
        Assert.Throws<ArgumentException>(() => new ImageDataset(data.Images, data.Labels, 28, 28, descriptors: nan));
    }
}
