using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>The TorchSharp-free forward pass reproduces TorchSharp's logits and magnitudes.</summary>
public sealed class ReferenceForwardTests
{
    public static TheoryData<int, int, int, int> Geometries => new()
    {
        // image, chunk, stride, channels
        { 56, 28, 3, 4 },
        { 56, 28, 7, 16 },
        { 42, 14, 2, 3 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void PlainLogitsMatchTorchSharp(int image, int chunk, int stride, int channels)
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 8, image, seed: 21);
        var options = new TrainingOptions { Seed = 3, MaxEpochs = 3, Patience = 3, LearningRate = 3e-3, GradientClipNorm = 1, BatchSize = 16 };
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(
            data, new ChunkCnnOptions { ChunkSize = chunk, Stride = stride, Channels = channels, HiddenSize = 32 }, options);
        ChunkCnnWeights weights = model.Export();
        double[][] torchLogits = model.Logits(data.Images);
        double largest = torchLogits.SelectMany(l => l).Max(Math.Abs);
        Assert.True(largest > 1e-3, "degenerate logits would make the comparison meaningless");
        ChunkCnnActivationBounds plainBounds = ChunkCnnActivationBounds.Zero;
        for (int i = 0; i < data.Count; i++)
        {
            double[] plain = ChunkCnnReferenceForward.Evaluate(weights, data.Images[i], out ChunkCnnActivationBounds b);
            plainBounds = plainBounds.Max(b);
            for (int k = 0; k < plain.Length; k++)
                Assert.True(Math.Abs(plain[k] - torchLogits[i][k]) <= 1e-4 * Math.Max(1, largest), $"image {i} class {k}: {plain[k]} vs {torchLogits[i][k]}");
        }
        // The bounds measured with TorchSharp over the same images agree with the plain ones.
        double[] measured = [model.Bounds.Input, model.Bounds.ConvOutput, model.Bounds.ConvSquared, model.Bounds.PooledHidden,
            model.Bounds.Fc1Output, model.Bounds.Fc1Squared, model.Bounds.Logits];
        double[] plainValues = [plainBounds.Input, plainBounds.ConvOutput, plainBounds.ConvSquared, plainBounds.PooledHidden,
            plainBounds.Fc1Output, plainBounds.Fc1Squared, plainBounds.Logits];
        for (int j = 0; j < measured.Length; j++)
            Assert.Equal(plainValues[j], measured[j], 1e-4 * Math.Max(1, plainValues[j]));
    }

    [Fact]
    public void LogitScaleDividesLogitsAndKeepsThePrediction()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 6, 28, seed: 22);
        using TrainedChunkCnn model = ChunkCnnTrainer.Train(
            data, new ChunkCnnOptions { ChunkSize = 14, Stride = 7, Channels = 8, HiddenSize = 16 },
            new TrainingOptions { MaxEpochs = 2, Patience = 2, LearningRate = 3e-3, GradientClipNorm = 1 });
        ChunkCnnWeights plain = model.Export();
        ChunkCnnWeights scaled = model.Export(logitScale: 4);
        Assert.Equal(4, scaled.LogitScale);
        Assert.Equal(plain.Bounds!.Logits / 4, scaled.Bounds!.Logits, 12);
        foreach (float[] image in data.Images)
        {
            double[] a = ChunkCnnReferenceForward.Logits(plain, image);
            double[] b = ChunkCnnReferenceForward.Logits(scaled, image);
            for (int k = 0; k < a.Length; k++)
                Assert.Equal(a[k] / 4, b[k], 1e-9);
            Assert.Equal(ChunkCnnReferenceForward.Predict(plain, image), ChunkCnnReferenceForward.Predict(scaled, image));
        }
        ChunkCnnWeights bounded = model.ExportWithLogitBound(plain.Bounds.Logits / 2);
        Assert.Equal(2, bounded.LogitScale, 9);
    }

    [Fact]
    public void HandWorkedExampleGivesTheExpectedLogits()
    {
        // 4x4 image, 2x2 chunks, 1x1 kernel, stride 1: each chunk's feature is its squared (normalized) pixels.
        var w = new ChunkCnnWeights(
            imageHeight: 4, imageWidth: 4, chunkSize: 2, kernelSize: 1, stride: 1, channels: 1, hiddenSize: 1, classCount: 2,
            inputScale: 0.5, inputOffset: -1,
            convWeights: [2], convBias: [1],
            fc1Weights: [1, 0, 0, 0], fc1Bias: [0],
            fc2Weights: [1, -1], fc2Bias: [0, 3]);
        float[] image = [2, 4, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0];
        // Normalized top-left pixels of the 4 chunks (row-major grid): 0, -1, 2, -1 → conv 2x+1: 1, -1, 5, -1 → squares 1, 1, 25, 1.
        // FC1 per chunk picks the top-left square: 1, 1, 25, 1 → square 1, 1, 625, 1 → mean 157 → logits [157, -157 + 3].
        Assert.Equal([157.0, -154.0], ChunkCnnReferenceForward.Logits(w, image));
    }
}
