using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>Copies managed images and labels into tensors.</summary>
internal static class TensorData
{
    /// <summary>All images as one [N, 1, H, W] float tensor (0-255 scale, normalization happens in the model).</summary>
    public static Tensor Images(IReadOnlyList<float[]> images, int height, int width)
    {
        int pixels = height * width;
        var flat = new float[(long)images.Count * pixels];
        for (int i = 0; i < images.Count; i++)
            images[i].AsSpan().CopyTo(flat.AsSpan(i * pixels, pixels));
        return torch.tensor(flat, [images.Count, 1, height, width]);
    }

    /// <summary>Class indices as an int64 tensor (what cross_entropy expects).</summary>
    public static Tensor? Descriptors(IReadOnlyList<float[]>? descriptors)
    {
        if (descriptors is null)
            return null;
        int n = descriptors[0].Length;
        var flat = new float[(long)descriptors.Count * n];
        for (int i = 0; i < descriptors.Count; i++)
            descriptors[i].AsSpan().CopyTo(flat.AsSpan(i * n, n));
        return torch.tensor(flat, [descriptors.Count, n]);
    }

    public static Tensor Labels(IReadOnlyList<int> labels) => torch.tensor(labels.Select(l => (long)l).ToArray());
}
