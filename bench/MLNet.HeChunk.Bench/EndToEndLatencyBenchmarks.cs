using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;

namespace MLNet.HeChunk.Bench;

/// <summary>
/// One image from its file to its decrypted logits, everything counted (issue 10): the client pipeline
/// (<c>PrepareChunks</c>: decode, 112x112, grayscale, equalize, chunks, Sobel gate, texture descriptors), encryption,
/// serialization of the chunk group to bytes, the server's deserialization (digest and every field checked), its
/// evaluation and the serialization of its answer, and the client's deserialization and decryption of the logits. Only
/// the network between the two is left out (docs/service.md measures the service). Per image, cycling through
/// NEU-CLS test images (2 per class; the synthetic set without NEU-CLS); parameters N8192ChunkCnn (128-bit); weights
/// random with the trained model's shape (the cost does not depend on their values); the server's encoded weights are
/// cached, as in a long-running server.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class EndToEndLatencyBenchmarks
{
    private readonly ChunkGrid _grid = new(112, 112, 28, 28);
    private HeChunkKeys _keys = null!;
    private HeChunkKeys _serverKeys = null!;
    private EncryptedChunkCnn _scorer = null!;
    private ScoreDecryptor _decryptor = null!;
    private ChunkGroupEncryptor _encryptor = null!;
    private MLContext _ml = null!;
    private ITransformer _client = null!;
    private ImageFolderSample[] _images = null!;
    private int _next;

    /// <summary>Degree of parallelism on each side (client encryption, server evaluation).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 2;

    /// <summary>All 16 chunks encrypted (the default) or only the gate's feature chunks (the paper's mode).</summary>
    [Params(EncryptionMode.AllChunks, EncryptionMode.FeatureChunks)]
    public EncryptionMode Mode { get; set; } = EncryptionMode.AllChunks;

    /// <summary>Seeded secret-key encryption (the client holds the secret key; half the upload) or public-key encryption.</summary>
    [Params(true, false)]
    public bool SecretKeyEncryption { get; set; } = true;

    [GlobalSetup]
    public void Setup()
    {
        var parameters = CkksParameters.Create(CkksPresets.N8192ChunkCnn);
        ChunkCnnWeights weights = EncryptedChunkCnnBenchmarks.RandomWeights(new Random(1));
        var packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
        _keys = HeChunkKeys.GenerateForChunkCnn(parameters, packing, 28, degreeOfParallelism: 2);
        _serverKeys = _keys.PublicOnly();
        _scorer = new EncryptedChunkCnn(weights, _serverKeys, Threads);
        _decryptor = new ScoreDecryptor(_keys);
        _encryptor = new ChunkGroupEncryptor(_keys, packing, Mode, SecretKeyEncryption, Threads);
        (_images, string source) = BenchmarkImages.Files(perClass: 2);
        _ml = new MLContext(seed: 1);
        IDataView empty = _ml.Data.LoadFromEnumerable(_images.Take(1));
        _client = _ml.Transforms.PrepareChunks(nameof(ImageFolderSample.ImagePath)).Fit(empty);
        for (int i = 0; i < _images.Length; i++)
        {
            ScoreOneImage(); // warms the client pipeline and the server's per-level plaintext caches
        }

        byte[] upload = Upload(_images[0]);
        Console.WriteLine($"// {Mode}, {(SecretKeyEncryption ? "seeded secret-key" : "public-key")} encryption, {_images.Length} images from {source}: upload {upload.Length} bytes for the first image");
    }

    /// <summary>File to decrypted logits, everything but the network.</summary>
    [Benchmark]
    public double[] ScoreOneImage()
    {
        ImageFolderSample image = _images[_next = (_next + 1) % _images.Length];
        byte[] upload = Upload(image);

        // Server: read and check the bytes, evaluate, write the answer.
        EncryptedChunkGroup received = EncryptedChunkGroup.FromBytes(upload, _serverKeys);
        byte[] answer = _scorer.Score(received).ToBytes();

        // Client: read and decrypt the answer.
        return _decryptor.DecryptLogits(EncryptedScores.FromBytes(answer, _keys));
    }

    /// <summary>Client: the preprocessing pipeline on one image file, encryption, serialization.</summary>
    private byte[] Upload(ImageFolderSample image)
    {
        IDataView prepared = _client.Transform(_ml.Data.LoadFromEnumerable(new[] { image }));
        using DataViewRowCursor cursor = prepared.GetRowCursor(prepared.Schema);
        var chunksGetter = cursor.GetGetter<VBuffer<float>>(prepared.Schema["Chunks"]);
        var indexGetter = cursor.GetGetter<VBuffer<int>>(prepared.Schema["ChunkIndex"]);
        var descriptorsGetter = cursor.GetGetter<VBuffer<float>>(prepared.Schema["Descriptors"]);
        VBuffer<float> chunks = default, descriptors = default;
        VBuffer<int> index = default;
        cursor.MoveNext();
        chunksGetter(ref chunks);
        indexGetter(ref index);
        descriptorsGetter(ref descriptors);
        return _encryptor.Encrypt(_grid, chunks.DenseValues().ToArray(), index.DenseValues().ToArray(), descriptors.DenseValues().ToArray()).ToBytes();
    }
}
