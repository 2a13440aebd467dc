using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Datasets.Synthetic;

namespace MLNet.HeChunk.Bench;

/// <summary>
/// Preprocessed images for the encryption benchmarks: NEU-CLS test images (HECHUNK_NEU_CLS_DIR, else
/// ../shared/data/neu-cls beside the repository) through the library's client pipeline (112x112, grayscale,
/// equalized, 28x28 chunks, Sobel gate at threshold 100). Without NEU-CLS, the built-in synthetic set stands in and
/// the console says so.
/// </summary>
public static class BenchmarkImages
{
    /// <summary>Chunk vectors, signed chunk indices and texture descriptors of <paramref name="perClass"/> test images per class.</summary>
    public static (float[][] Chunks, int[][] Index, float[][] Descriptors, string Source) Load(int perClass)
    {
        (ImageFolderSample[] samples, string folder) = Files(perClass);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(samples);
        var pipeline = ml.Transforms.PrepareChunks(nameof(ImageFolderSample.ImagePath));
        var output = pipeline.Fit(data).Transform(data);
        float[][] chunks = output.GetColumn<VBuffer<float>>("Chunks").Select(v => v.DenseValues().ToArray()).ToArray();
        int[][] index = output.GetColumn<VBuffer<int>>("ChunkIndex").Select(v => v.DenseValues().ToArray()).ToArray();
        float[][] descriptors = output.GetColumn<VBuffer<float>>("Descriptors").Select(v => v.DenseValues().ToArray()).ToArray();
        return (chunks, index, descriptors, folder);
    }

    /// <summary>The image files of <paramref name="perClass"/> test images per class (n % 4 == 1), and their folder.</summary>
    public static (ImageFolderSample[] Images, string Source) Files(int perClass)
    {
        string folder = FindNeuCls() ?? SyntheticFolder();
        ImageFolderSample[] samples = ImageFolderDataset.Scan(folder)
            .Where(s => NeuClsSplit.TryGetImageNumber(s.ImagePath, out int n) && n % 4 == 1)
            .GroupBy(s => s.Label)
            .SelectMany(g => g.Take(perClass))
            .ToArray();
        return (samples, folder);
    }

    private static string? FindNeuCls()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("HECHUNK_NEU_CLS_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HeChunkML.sln")))
            {
                string candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "neu-cls"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }

    private static string SyntheticFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "hechunk-bench-synthetic");
        if (!Directory.Exists(folder))
        {
            SyntheticSteelDefects.WriteTo(folder, new SyntheticDataOptions { ImagesPerClass = 8, Seed = 1 });
        }

        Console.WriteLine($"NEU-CLS not found: benchmarking on the synthetic set in {folder}");
        return folder;
    }
}
