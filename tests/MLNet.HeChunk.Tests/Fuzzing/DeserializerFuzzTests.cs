using System.Diagnostics;
using System.Security.Cryptography;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Imaging;
using MLNet.HeChunk.Persistence;
using Xunit.Abstractions;

namespace MLNet.HeChunk.Tests.Fuzzing;

/// <summary>
/// Fuzzes every public deserializer of the library with random damage (<see cref="FuzzMutator"/>): key files, secret key
/// files, encrypted chunk groups, encrypted scores, chunk CNN weights, model zips and image headers. Each must return a
/// usable object or throw its one documented exception (<see cref="InvalidDataException"/>); no input may take more than
/// a second or allocate more than a small multiple of its size. For digest-protected formats half of the mutants get a
/// freshly computed digest, so the parser behind the digest is fuzzed too. Counts: <see cref="FuzzBudget"/>.
/// </summary>
public class DeserializerFuzzTests(ITestOutputHelper output)
{
    private static readonly Lazy<FuzzTargets> Targets = new(() => new FuzzTargets());

    public static TheoryData<string> Names => new(FuzzTargets.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void OnlyTheDocumentedExceptionWithBoundedTimeAndMemory(string name)
    {
        FuzzTarget target = Targets.Value.Get(name);
        target.Read(target.Bytes); // the original must load (and warms up the code paths)
        int mutations = FuzzBudget.Mutations(target.DefaultMutations);
        var random = new Random(name.Length * 7919 + name[0]);
        int refused = 0, accepted = 0;
        long slowest = 0, largest = 0;
        for (int i = 0; i < mutations; i++)
        {
            byte[] mutant = FuzzMutator.Mutate(target.Bytes, random, out string description);
            if (target.Reseal is not null && random.Next(2) == 0)
            {
                target.Reseal(mutant);
                description += "; digest recomputed";
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            try
            {
                target.Read(mutant);
                accepted++;
            }
            catch (InvalidDataException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message), $"{name} #{i} ({description}): empty message");
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{name} #{i} ({description}): {e.GetType().Name} escaped instead of InvalidDataException: {e}");
            }

            clock.Stop();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            slowest = Math.Max(slowest, clock.ElapsedMilliseconds);
            largest = Math.Max(largest, allocated);
            Assert.True(clock.ElapsedMilliseconds < 1000, $"{name} #{i} ({description}): took {clock.ElapsedMilliseconds} ms");
            long bound = target.AllocationFactor * Math.Max(mutant.Length, target.Bytes.Length) + (16L << 20);
            Assert.True(allocated < bound, $"{name} #{i} ({description}): allocated {allocated:N0} bytes for {mutant.Length:N0} input bytes (bound {bound:N0})");
        }

        output.WriteLine($"{name} ({target.Bytes.Length:N0} bytes): {mutations} mutations, {refused} refused, {accepted} accepted; slowest {slowest} ms, largest allocation {largest:N0} bytes");
        Assert.True(refused > mutations / 2, $"{name}: only {refused} of {mutations} refused");
    }

    private sealed record FuzzTarget(byte[] Bytes, Action<byte[]> Read, Action<byte[]>? Reseal, int DefaultMutations, long AllocationFactor);

    private sealed class FuzzTargets
    {
        public static readonly string[] Names =
            ["PublicKeyFile", "SecretKeyFile", "ChunkGroup", "Scores", "Weights", "ModelZip", "BmpHeader", "PngHeader", "JpegHeader"];

        private readonly HeChunkKeys _keys;
        private readonly byte[] _publicBytes;

        public FuzzTargets()
        {
            // N = 1024 keys, named insecure: small objects, so thousands of mutations take seconds.
            _keys = HeChunkKeys.Generate(CkksParameters.Create(CkksPresets.InsecureN1024), [1, 2]);
            using var stream = new MemoryStream();
            _keys.SavePublic(stream);
            _publicBytes = stream.ToArray();
        }

        public FuzzTarget Get(string name) => name switch
        {
            "PublicKeyFile" => new(_publicBytes, b => HeChunkKeys.LoadPublic(new MemoryStream(b), SecurityMode.InsecureForTestingOnly), TrailingDigest, 300, 16),
            "SecretKeyFile" => SecretKey(),
            "ChunkGroup" => ChunkGroup(),
            "Scores" => Scores(),
            "Weights" => new(ChunkCnnWeightsSerializer.Serialize(SmallWeights()), b => ChunkCnnWeightsSerializer.Deserialize(b), WeightsDigest, 300, 16),
            "ModelZip" => ModelZip(),
            "BmpHeader" => Image(ImageBombTests.Bmp8(24, 24)),
            "PngHeader" => Image(ImageBombTests.Png(24, 24)),
            "JpegHeader" => Image(Jpeg()),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        private FuzzTarget SecretKey()
        {
            using var secret = new MemoryStream();
            _keys.ExportSecretKey(secret);
            return new(secret.ToArray(), b => HeChunkKeys.Load(new MemoryStream(_publicBytes), new MemoryStream(b), null, SecurityMode.InsecureForTestingOnly),
                TrailingDigest, 200, 64);
        }

        private FuzzTarget ChunkGroup()
        {
            // Two 28 x 28 chunks, one encrypted and one plain (feature mode), in 512 slots.
            var grid = new ChunkGrid(56, 28, 28, 28);
            var random = new Random(3);
            float[] chunks = [.. Enumerable.Range(0, grid.VectorLength).Select(_ => (float)random.Next(256))];
            var encryptor = new ChunkGroupEncryptor(_keys, new ChunkPacking(7, 7, 16), EncryptionMode.FeatureChunks);
            byte[] bytes = encryptor.Encrypt(grid, chunks, [1, -2]).ToBytes();
            return new(bytes, b => EncryptedChunkGroup.FromBytes(b, _keys), TrailingDigest, 150, 16);
        }

        private FuzzTarget Scores()
        {
            var encoder = new CkksEncoder(_keys.Parameters);
            var encryptor = new Encryptor(_keys.Parameters, _keys.PublicKey);
            Ciphertext ciphertext = encryptor.Encrypt(encoder.Encode([0.1, -0.2, 0.3], 0, _keys.Parameters.DefaultScale));
            byte[] bytes = new EncryptedScores(_keys.KeySetId, 3, 10.0, ciphertext).ToBytes();
            return new(bytes, b => EncryptedScores.FromBytes(b, _keys), TrailingDigest, 300, 16);
        }

        private static FuzzTarget ModelZip()
        {
            var ml = new MLContext(seed: 1);
            var random = new Random(5);
            var data = TestData.Pixels(ml, TestData.Random(random, 56 * 56));
            var model = ml.Transforms.SplitChunks("Chunks", "Pixels").Append(ml.Transforms.SobelGate("ChunkIndex", "Pixels")).Fit(data);
            using var stream = new MemoryStream();
            HeChunkModel.Save(ml, model, data.Schema, stream);
            return new(stream.ToArray(), b => HeChunkModel.Load(new MLContext(seed: 1), new MemoryStream(b), out _), null, 60, 256);
        }

        private static FuzzTarget Image(byte[] bytes) => new(bytes, b => ImageHeaderReader.Read(new MemoryStream(b)), null, 1000, 16);

        private static byte[] Jpeg()
        {
            var pixels = new byte[24 * 24 * 4];
            new Random(9).NextBytes(pixels);
            using var image = MLImage.CreateFromPixels(24, 24, MLPixelFormat.Bgra32, pixels);
            string path = Path.Combine(Path.GetTempPath(), $"hechunk-fuzz-{Guid.NewGuid():N}.jpg");
            try
            {
                image.Save(path);
                return File.ReadAllBytes(path);
            }
            finally
            {
                File.Delete(path);
            }
        }

        private static ChunkCnnWeights SmallWeights()
        {
            var random = new Random(3);
            double[] Fill(int n, double s) => Enumerable.Range(0, n).Select(_ => s * (random.NextDouble() * 2 - 1)).ToArray();
            return new ChunkCnnWeights(56, 56, 28, 7, 7, 16, 16, 3, 1 / 255.0, 0,
                Fill(16 * 49, 0.2), Fill(16, 0.1), Fill(16 * 256, 0.1), Fill(16, 0.1), Fill(3 * 16, 0.2), Fill(3, 0.1));
        }

        /// <summary>Recomputes a trailing SHA-256 over everything before it (key files, chunk groups, scores).</summary>
        private static void TrailingDigest(byte[] bytes)
        {
            if (bytes.Length >= 32)
            {
                SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32), bytes.AsSpan(bytes.Length - 32));
            }
        }

        /// <summary>Recomputes the weights' digest: bytes 12..44 hold the SHA-256 of everything after the 44-byte header.</summary>
        private static void WeightsDigest(byte[] bytes)
        {
            if (bytes.Length >= 44)
            {
                SHA256.HashData(bytes.AsSpan(44), bytes.AsSpan(12, 32));
            }
        }
    }
}
