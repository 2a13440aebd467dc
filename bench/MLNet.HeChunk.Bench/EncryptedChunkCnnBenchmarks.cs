using BenchmarkDotNet.Attributes;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Bench;

/// <summary>
/// The encrypted chunk CNN end to end, per 112x112 image: client encryption in the paper's three modes (its Table 2),
/// server evaluation of all-chunk and feature-chunk groups, client decryption. Parameters N8192ChunkCnn (128-bit).
/// Each benchmark cycles through a fixed sample of preprocessed test images (2 per class), so a mean is a mean over
/// images, including their different numbers of feature chunks. Weights are random with the trained model's shape
/// (stride 7, 16 filters, 256 -> 128 -> 6, and the descriptor head 76 -> 64 -> 6 on the encrypted texture descriptors):
/// the cost does not depend on their values. Sizes are printed at setup.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class EncryptedChunkCnnBenchmarks
{
    private readonly ChunkGrid _grid = new(112, 112, 28, 28);
    private HeChunkKeys _keys = null!;
    private ChunkPacking _packing = null!;
    private EncryptedChunkCnn _scorer = null!;
    private ScoreDecryptor _decryptor = null!;
    private float[][] _chunks = null!;
    private int[][] _index = null!;
    private float[][] _descriptors = null!;
    private EncryptedChunkGroup[] _allChunkGroups = null!;
    private EncryptedChunkGroup[] _featureGroups = null!;
    private EncryptedScores _scores = null!;
    private Dictionary<EncryptionMode, ChunkGroupEncryptor> _encryptors = null!;
    private int _next;

    /// <summary>Degree of parallelism inside one image (ciphertexts encrypted, giant steps evaluated).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>Seeded secret-key encryption (half the upload) or public-key encryption.</summary>
    [Params(false, true)]
    public bool SecretKeyEncryption { get; set; }

    /// <summary>Keys, weights, images and ciphertexts, made once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var parameters = CkksParameters.Create(CkksPresets.N8192ChunkCnn);
        ChunkCnnWeights weights = RandomWeights(new Random(1));
        _packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
        _keys = HeChunkKeys.GenerateForChunkCnn(parameters, _packing, 28, degreeOfParallelism: 2);
        _scorer = new EncryptedChunkCnn(weights, _keys.PublicOnly(), Threads);
        _decryptor = new ScoreDecryptor(_keys);
        (_chunks, _index, _descriptors, string source) = BenchmarkImages.Load(perClass: 2);
        _encryptors = Enum.GetValues<EncryptionMode>().ToDictionary(m => m, m => new ChunkGroupEncryptor(_keys, _packing, m, SecretKeyEncryption, Threads));
        _allChunkGroups = Enumerable.Range(0, _chunks.Length).Select(i => _encryptors[EncryptionMode.AllChunks].Encrypt(_grid, _chunks[i], _index[i], _descriptors[i])).ToArray();
        _featureGroups = Enumerable.Range(0, _chunks.Length).Select(i => _encryptors[EncryptionMode.FeatureChunks].Encrypt(_grid, _chunks[i], _index[i], _descriptors[i])).ToArray();
        _scores = _scorer.Score(_allChunkGroups[0]);
        foreach (EncryptedChunkGroup group in _featureGroups)
        {
            _scorer.Score(group); // warm the per-layout plaintext caches, as a long-running server has them
        }

        PrintSizes(source);
    }

    /// <summary>Client: encrypt the whole image as a raster vector (the paper's generic baseline).</summary>
    [Benchmark]
    public EncryptedChunkGroup EncryptWholeImage() => Encrypt(EncryptionMode.WholeImage);

    /// <summary>Client: encrypt all 16 chunks.</summary>
    [Benchmark]
    public EncryptedChunkGroup EncryptAllChunks() => Encrypt(EncryptionMode.AllChunks);

    /// <summary>Client: encrypt the feature chunks only (threshold 100).</summary>
    [Benchmark]
    public EncryptedChunkGroup EncryptFeatureChunks() => Encrypt(EncryptionMode.FeatureChunks);

    /// <summary>Server: evaluate the CNN on an all-chunks group.</summary>
    [Benchmark]
    public EncryptedScores ScoreAllChunks() => _scorer.Score(_allChunkGroups[Next()]);

    /// <summary>Server: evaluate the CNN on a feature-chunks group (plaintext chunks computed in the clear).</summary>
    [Benchmark]
    public EncryptedScores ScoreFeatureChunks() => _scorer.Score(_featureGroups[Next()]);

    /// <summary>Client: decrypt the logits.</summary>
    [Benchmark]
    public double[] DecryptScores() => _decryptor.DecryptLogits(_scores);

    private EncryptedChunkGroup Encrypt(EncryptionMode mode)
    {
        int i = Next();
        return _encryptors[mode].Encrypt(_grid, _chunks[i], _index[i], _descriptors[i]);
    }

    private int Next() => _next = (_next + 1) % _chunks.Length;

    private void PrintSizes(string source)
    {
        using var publicKeys = new MemoryStream();
        _keys.PublicOnly().SavePublic(publicKeys);
        double featureFraction = _index.Average(row => row.Count(i => i > 0) / (double)row.Length);
        Console.WriteLine($"// images: {_chunks.Length} from {source}; feature-chunk fraction {featureFraction:F3}");
        Console.WriteLine($"// upload bytes per image, all chunks: {_allChunkGroups.Average(g => g.ToBytes().Length):F0}; feature chunks: {_featureGroups.Average(g => g.ToBytes().Length):F0}");
        Console.WriteLine($"// ciphertexts per image, all chunks: {_allChunkGroups.Average(g => g.Ciphertexts.Count):F1}; feature chunks: {_featureGroups.Average(g => g.Ciphertexts.Count):F1}");
        Console.WriteLine($"// download bytes per image: {_scores.ToBytes().Length}; evaluation keys (public key set): {publicKeys.Length} bytes, {_keys.GaloisKeys.GaloisElements.Count} Galois keys");
    }

    /// <summary>Random weights of the trained default shape, with the descriptor head.</summary>
    internal static ChunkCnnWeights RandomWeights(Random random)
    {
        double[] Fill(int n, double sigma) => Enumerable.Range(0, n).Select(_ => sigma * (random.NextDouble() * 2 - 1)).ToArray();
        int descriptors = Imaging.TextureFeatures.Count(3);
        var head = new DescriptorHead(descriptors, 64, 6, Fill(64 * descriptors, 0.01), Fill(64, 0.1), Fill(6 * 64, 0.1), Fill(6, 0.1));
        return new ChunkCnnWeights(112, 112, 28, 7, 7, 16, 128, 6, 1 / 255.0, 0,
            Fill(16 * 49, 0.1), Fill(16, 0.1), Fill(128 * 256, 0.05), Fill(128, 0.1), Fill(6 * 128, 0.1), Fill(6, 0.1), 1.0, null, head);
    }
}
