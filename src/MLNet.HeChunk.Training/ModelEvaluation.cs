using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>Batched inference in evaluation mode (no dropout, no gradients).</summary>
internal static class ModelEvaluation
{
    /// <summary>Logits [N, K] for all images, as a new tensor.</summary>
    public static Tensor Logits(nn.Module<Tensor, Tensor> model, Tensor images, int batchSize) =>
        Logits(model, (x, _) => model.forward(x), images, null, batchSize);

    public static Tensor Logits(nn.Module model, Func<Tensor, Tensor?, Tensor> forward, Tensor images, Tensor? descriptors, int batchSize)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = torch.no_grad();
            var parts = new List<Tensor>();
            long n = images.shape[0];
            for (long start = 0; start < n; start += batchSize)
            {
                using Tensor slice = images.narrow(0, start, Math.Min(batchSize, n - start));
                using Tensor? descriptorSlice = descriptors?.narrow(0, start, Math.Min(batchSize, n - start));
                parts.Add(forward(slice, descriptorSlice));
            }
            Tensor all = torch.cat(parts, 0);
            foreach (Tensor p in parts)
                p.Dispose();
            return all;
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>Accuracy and mean cross-entropy on labelled images.</summary>
    public static (double Accuracy, double Loss) Score(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int batchSize) =>
        Score(model, (x, _) => model.forward(x), images, null, labels, batchSize);

    public static (double Accuracy, double Loss) Score(nn.Module model, Func<Tensor, Tensor?, Tensor> forward, Tensor images, Tensor? descriptors, Tensor labels, int batchSize)
    {
        using var scope = torch.NewDisposeScope();
        Tensor logits = Logits(model, forward, images, descriptors, batchSize);
        double loss = nn.functional.cross_entropy(logits, labels).item<float>();
        long correct = logits.argmax(1).eq(labels).sum().item<long>();
        return ((double)correct / labels.shape[0], loss);
    }

    /// <summary>Logits as managed arrays, one per image.</summary>
    public static double[][] ToArrays(Tensor logits)
    {
        long n = logits.shape[0], k = logits.shape[1];
        float[] flat = logits.data<float>().ToArray();
        var result = new double[n][];
        for (long i = 0; i < n; i++)
        {
            result[i] = new double[k];
            for (long j = 0; j < k; j++)
                result[i][j] = flat[i * k + j];
        }
        return result;
    }
}
