using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>
/// Applies a random rotation, horizontal flip and translation to each image of a batch, with
/// one affine resampling per batch (affine_grid + bilinear grid_sample).
/// </summary>
/// <remarks>
/// The random parameters come from a seeded <see cref="Random"/>, so a run is repeatable.
/// Pixels that would come from outside the image are mirrored back in (reflection padding)
/// rather than set to black: the NEU-CLS images are textures, and a black corner would be a
/// feature no test image has.
/// </remarks>
internal sealed class ImageAugmenter(AugmentationOptions options, Random random)
{
    /// <summary>A new batch [B,1,H,W] holding the augmented images.</summary>
    public Tensor Apply(Tensor batch)
    {
        if (options.IsIdentity)
            return batch.alias();
        long n = batch.shape[0];
        var theta = new float[n * 6];
        for (long i = 0; i < n; i++)
        {
            double angle = (random.NextDouble() * 2 - 1) * options.MaxRotationDegrees * Math.PI / 180;
            double flip = options.HorizontalFlip && random.Next(2) == 1 ? -1 : 1;
            // affine_grid works in [-1, 1] coordinates, where the image side measures 2.
            double flipY = options.VerticalFlip && random.Next(2) == 1 ? -1 : 1;
            double tx = (random.NextDouble() * 2 - 1) * options.MaxTranslationFraction * 2;
            double ty = (random.NextDouble() * 2 - 1) * options.MaxTranslationFraction * 2;
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            // Maps each output position to the input position it samples: rotation after mirrors of x and y.
            theta[i * 6 + 0] = (float)(cos * flip);
            theta[i * 6 + 1] = (float)(-sin * flipY);
            theta[i * 6 + 2] = (float)tx;
            theta[i * 6 + 3] = (float)(sin * flip);
            theta[i * 6 + 4] = (float)(cos * flipY);
            theta[i * 6 + 5] = (float)ty;
        }
        using Tensor thetaTensor = torch.tensor(theta, [n, 2, 3]);
        using Tensor grid = nn.functional.affine_grid(thetaTensor, [.. batch.shape], align_corners: false);
        return nn.functional.grid_sample(
            batch, grid, mode: options.NearestNeighbor ? GridSampleMode.Nearest : GridSampleMode.Bilinear, padding_mode: GridSamplePaddingMode.Reflection, align_corners: false);
    }
}
