using MLNet.HeChunk.Cnn;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>Measures the largest absolute value of each chunk CNN intermediate over a set of images.</summary>
internal static class ChunkCnnBoundsMeter
{
    public static ChunkCnnActivationBounds Measure(ChunkCnn model, ImageDataset data, int batchSize)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using Tensor images = TensorData.Images(data.Images, data.Height, data.Width);
            ChunkCnnActivationBounds bounds = ChunkCnnActivationBounds.Zero;
            for (long start = 0; start < data.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                ChunkCnnStages s = model.Stages(images.narrow(0, start, Math.Min(batchSize, data.Count - start)));
                bounds = bounds.Max(new ChunkCnnActivationBounds(
                    MaxAbs(s.Input), MaxAbs(s.ConvOutput), MaxAbs(s.ConvSquared),
                    MaxAbs(s.Fc1Output), MaxAbs(s.Fc1Squared), MaxAbs(s.PooledHidden), MaxAbs(s.Logits)));
            }
            return bounds;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static double MaxAbs(Tensor t) => t.abs().max().item<float>();
}
