using MLNet.HeChunk.Cnn;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>Measures the largest absolute value of each chunk CNN intermediate over a set of images.</summary>
internal static class ChunkCnnBoundsMeter
{
    /// <summary>The bounds of the chunk branch and the total logits, and the largest |pre-square hidden value| of the descriptor head (0 without one).</summary>
    public static (ChunkCnnActivationBounds Bounds, double HeadHidden) Measure(ChunkCnn model, ImageDataset data, int batchSize)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using Tensor images = TensorData.Images(data.Images, data.Height, data.Width);
            using Tensor? descriptors = model.HasDescriptorHead ? TensorData.Descriptors(data.Descriptors) : null;
            ChunkCnnActivationBounds bounds = ChunkCnnActivationBounds.Zero;
            double headHidden = 0;
            for (long start = 0; start < data.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                long count = Math.Min(batchSize, data.Count - start);
                ChunkCnnStages s = model.Stages(images.narrow(0, start, count), descriptors?.narrow(0, start, count));
                if (s.HeadHidden is not null)
                    headHidden = Math.Max(headHidden, MaxAbs(s.HeadHidden));
                bounds = bounds.Max(new ChunkCnnActivationBounds(
                    MaxAbs(s.Input), MaxAbs(s.ConvOutput), MaxAbs(s.ConvSquared),
                    MaxAbs(s.Fc1Output), MaxAbs(s.Fc1Squared), MaxAbs(s.PooledHidden), MaxAbs(s.Logits)));
            }
            return (bounds, headHidden);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static double MaxAbs(Tensor t) => t.abs().max().item<float>();
}
