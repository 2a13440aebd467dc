using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>Accuracy of a trained module on a managed data set.</summary>
internal static class TrainedModelScoring
{
    public static double Accuracy(nn.Module<Tensor, Tensor> model, ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = torch.NewDisposeScope();
        Tensor images = TensorData.Images(data.Images, data.Height, data.Width);
        Tensor labels = TensorData.Labels(data.Labels);
        return ModelEvaluation.Score(model, images, labels, 128).Accuracy;
    }

    public static double Accuracy(ChunkCnn model, ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = torch.NewDisposeScope();
        Tensor images = TensorData.Images(data.Images, data.Height, data.Width);
        Tensor labels = TensorData.Labels(data.Labels);
        Tensor? descriptors = model.HasDescriptorHead ? TensorData.Descriptors(data.Descriptors) : null;
        return ModelEvaluation.Score(model, model.Forward, images, descriptors, labels, 128).Accuracy;
    }
}
