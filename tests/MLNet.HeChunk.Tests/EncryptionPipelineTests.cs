using Microsoft.ML.Data;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Scoring;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// The client pipeline with encryption on real NEU-CLS images (one per class), the server scoring, the client
/// decrypting; model zips and encrypted data crossing process boundaries as files.
/// </summary>
public class EncryptionPipelineTests : IClassFixture<EncryptedCnnFixture>
{
    private static readonly string[] ClassNames = ["Cr", "In", "PS", "Pa", "RS", "Sc"];
    private readonly EncryptedCnnFixture _fixture;
    private readonly MLContext _ml = new(seed: 1);

    public EncryptionPipelineTests(EncryptedCnnFixture fixture) => _fixture = fixture;

    private IDataView NeuClsSubset(int perClass)
    {
        var samples = ImageFolderDataset.Scan(NeuClsLocator.Require());
        return _ml.Data.LoadFromEnumerable(samples.GroupBy(s => s.Label).SelectMany(g => g.Take(perClass)).ToList());
    }

    private IEstimator<ITransformer> ClientEncryption(EncryptionMode mode) =>
        NeuClsPipelineTests.ClientPipeline(_ml)
            // The paper's feature mode on real images: one of these six has no feature chunk, which these mechanics
            // tests send in the clear on purpose (the refusal itself is tested in FeatureModeRefusesImagesWithoutAFeatureChunk).
            .Append(_ml.Transforms.EncryptChunks("EncryptedChunks", _fixture.Keys, "Chunks",
                new ChunkEncryptionOptions { Mode = mode, DegreeOfParallelism = 2, AllowImagesWithoutEncryptedChunk = true }));

    [SkippableFact]
    public void FeatureModeRefusesImagesWithoutAFeatureChunk()
    {
        var data = NeuClsSubset(1);
        var indices = TestData.ReadInts(NeuClsPipelineTests.ClientPipeline(_ml).Fit(data).Transform(data), "ChunkIndex");
        Skip.If(indices.All(i => i.Any(c => c > 0)), "every image of this subset has a feature chunk");
        var refusing = NeuClsPipelineTests.ClientPipeline(_ml)
            .Append(_ml.Transforms.EncryptChunks("EncryptedChunks", _fixture.Keys, "Chunks", new ChunkEncryptionOptions { Mode = EncryptionMode.FeatureChunks }));
        var e = Assert.ThrowsAny<Exception>(() => refusing.Fit(data).Transform(data).GetColumn<VBuffer<byte>>("EncryptedChunks").ToList());
        Assert.IsType<InvalidDataException>(e.GetBaseException());
        Assert.Contains("in the clear", e.GetBaseException().Message);
        Assert.Equal(EncryptionMode.AllChunks, new ChunkEncryptionOptions().Mode);
    }

    [SkippableFact]
    public void EncryptedChunksDecryptToThePlaintextChunks()
    {
        var data = NeuClsSubset(1);
        foreach (EncryptionMode mode in Enum.GetValues<EncryptionMode>())
        {
            var output = ClientEncryption(mode).Fit(data).Transform(data);
            var chunks = TestData.ReadFloats(output, "Chunks");
            var index = TestData.ReadInts(output, "ChunkIndex");
            var encrypted = output.GetColumn<VBuffer<byte>>("EncryptedChunks").Select(v => v.DenseValues().ToArray()).ToList();
            var decryptor = new ChunkGroupDecryptor(_fixture.Keys);
            for (int row = 0; row < chunks.Length; row++)
            {
                var group = EncryptedChunkGroup.FromBytes(encrypted[row], _fixture.Keys);
                float[] recovered = decryptor.DecryptChunks(group);
                for (int c = 0; c < 16; c++)
                {
                    bool encryptedChunk = mode != EncryptionMode.FeatureChunks || index[row][c] > 0;
                    for (int p = 0; p < 784; p++)
                    {
                        float expected = chunks[row][c * 784 + p], actual = recovered[c * 784 + p];
                        if (encryptedChunk)
                        {
                            // Scale 2^28: fresh ciphertexts carry about 2^-14 absolute error on x/255.
                            Assert.True(Math.Abs(expected - actual) < 255 * Math.Pow(2, -12), $"{mode} row {row} chunk {c} pixel {p}: {actual} vs {expected}");
                        }
                        else
                        {
                            Assert.Equal(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual));
                        }
                    }
                }
            }
        }
    }

    [SkippableFact]
    public void ClientServerClientThroughModelZipsAndABinaryDataFile()
    {
        var data = NeuClsSubset(1);
        string folder = Directory.CreateTempSubdirectory("hechunk-pipeline").FullName;
        try
        {
            // Client: fit and save the encrypting pipeline; the public keys and the secret key go to separate files.
            var client = ClientEncryption(EncryptionMode.FeatureChunks).Fit(data);
            HeChunkModel.Save(_ml, client, data.Schema, Path.Combine(folder, "client.zip"));
            _fixture.Keys.SavePublic(Path.Combine(folder, "public.keys"));
            _fixture.Keys.ExportSecretKey(Path.Combine(folder, "secret.key"));
            var encrypted = _ml.Transforms.SelectColumns("Label", "EncryptedChunks").Fit(client.Transform(data)).Transform(client.Transform(data));
            using (var file = File.Create(Path.Combine(folder, "upload.idv")))
            {
                _ml.Data.SaveAsBinary(encrypted, file);
            }

            // Server: only the upload and the public keys.
            var serverMl = new MLContext(seed: 2);
            var upload = serverMl.Data.LoadFromBinary(Path.Combine(folder, "upload.idv"));
            var serverKeys = HeChunkKeys.LoadPublic(Path.Combine(folder, "public.keys"));
            Assert.False(serverKeys.HasSecretKey);
            var server = serverMl.Transforms.ScoreEncryptedChunkCnn(_fixture.Weights, serverKeys, degreeOfParallelism: 2).Fit(upload);
            HeChunkModel.Save(serverMl, server, upload.Schema, Path.Combine(folder, "server.zip"));
            var answers = HeChunkModel.Load(new MLContext(), Path.Combine(folder, "server.zip"), out _).Transform(upload);
            using (var file = File.Create(Path.Combine(folder, "answers.idv")))
            {
                serverMl.Data.SaveAsBinary(answers, file);
            }

            // Client again: decrypt and evaluate.
            var clientKeys = HeChunkKeys.Load(Path.Combine(folder, "public.keys"), Path.Combine(folder, "secret.key"));
            var received = _ml.Data.LoadFromBinary(Path.Combine(folder, "answers.idv"));
            var decrypting = _ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(_ml.Transforms.DecryptScores(clientKeys, ClassNames));
            var decryptor = decrypting.Fit(received);
            var scored = decryptor.Transform(received);
            var metrics = _ml.MulticlassClassification.Evaluate(scored);
            Assert.Equal(6, metrics.ConfusionMatrix.NumberOfClasses);

            // The decrypted scores equal the plaintext chunk CNN's on the same chunks.
            var plain = new PlainChunkCnn(_fixture.Weights);
            var chunks = TestData.ReadFloats(client.Transform(data), "Chunks");
            var scores = TestData.ReadFloats(scored, "Score");
            for (int row = 0; row < chunks.Length; row++)
            {
                float[] expected = ScoreDecryptor.Softmax(plain.Logits(chunks[row]));
                for (int k = 0; k < 6; k++)
                {
                    Assert.True(Math.Abs(expected[k] - scores[row][k]) < 1e-3, $"row {row} class {k}: {scores[row][k]} vs {expected[k]}");
                }
            }

            // The decryptor saves without the secret key and reloads only with the key set.
            HeChunkModel.Save(_ml, decryptor, received.Schema, Path.Combine(folder, "decrypt.zip"));
            var noKeys = Assert.Throws<InvalidOperationException>(() => HeChunkModel.Load(new MLContext(), Path.Combine(folder, "decrypt.zip"), out _));
            Assert.Contains("secret key", noKeys.Message);
            var reloaded = HeChunkModel.Load(new MLContext(), Path.Combine(folder, "decrypt.zip"), out _, clientKeys).Transform(received);
            Assert.Equal(scores, TestData.ReadFloats(reloaded, "Score"));

            // No byte sequence of the secret key appears in anything that leaves the client.
            byte[] secret = File.ReadAllBytes(Path.Combine(folder, "secret.key"));
            foreach (string name in new[] { "client.zip", "public.keys", "upload.idv", "server.zip", "answers.idv", "decrypt.zip" })
            {
                SecretScan.AssertAbsent(File.ReadAllBytes(Path.Combine(folder, name)), _fixture.Keys.SecretKey!, secret, name);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [SkippableFact]
    public void WrongKeysAndTamperedColumnsFailClearly()
    {
        var data = NeuClsSubset(1);
        var encrypted = ClientEncryption(EncryptionMode.AllChunks).Fit(data).Transform(data);
        var bytes = encrypted.GetColumn<VBuffer<byte>>("EncryptedChunks").Select(v => v.DenseValues().ToArray()).ToList();

        // Another key set (same parameters): refused by key-set id, before any decryption.
        var otherKeys = HeChunkKeys.GenerateForChunkCnn(_fixture.Parameters, _fixture.Packing);
        Assert.Contains("key set", Assert.Throws<InvalidDataException>(() => EncryptedChunkGroup.FromBytes(bytes[0], otherKeys)).Message);
        var scorer = _ml.Transforms.ScoreEncryptedChunkCnn(_fixture.Weights, otherKeys).Fit(encrypted);
        var error = Assert.ThrowsAny<Exception>(() => scorer.Transform(encrypted).GetColumn<VBuffer<byte>>("EncryptedScores").ToList());
        Assert.Contains("key set", error.GetBaseException().Message);

        // A flipped bit in the column: the integrity digest refuses it.
        byte[] tampered = (byte[])bytes[0].Clone();
        tampered[tampered.Length / 2] ^= 0x10;
        Assert.Contains("digest", Assert.Throws<InvalidDataException>(() => EncryptedChunkGroup.FromBytes(tampered, _fixture.Keys)).Message);

        // Keys of other parameters: refused by the secret/public check, and by parameter fingerprint.
        var otherParameters = CkksParameters.Create(CkksPresets.N8192Depth3);
        var mismatched = HeChunkKeys.Generate(otherParameters, [1]);
        using var publicStream = new MemoryStream();
        _fixture.Keys.SavePublic(publicStream);
        using var secretStream = new MemoryStream();
        mismatched.ExportSecretKey(secretStream);
        publicStream.Position = secretStream.Position = 0;
        Assert.Throws<InvalidDataException>(() => HeChunkKeys.Load(publicStream, secretStream));
    }
}

/// <summary>Looks for any trace of a secret key in bytes that leave the client.</summary>
internal static class SecretScan
{
    public static void AssertAbsent(byte[] haystack, SecretKey secretKey, byte[] exportedSecret, string what)
    {
        // 1. Any 16-byte window of the exported secret-key file (its 2-bit packed ternary coefficients).
        const int Window = 16;
        var windows = new HashSet<string>();
        int headerSkip = Math.Min(64, exportedSecret.Length / 2);
        for (int i = headerSkip; i + Window <= exportedSecret.Length; i += Window)
        {
            windows.Add(Convert.ToHexString(exportedSecret, i, Window));
        }

        for (int i = 0; i + Window <= haystack.Length; i++)
        {
            Assert.False(windows.Contains(Convert.ToHexString(haystack, i, Window)), $"{what}: holds 16 bytes of the exported secret key at offset {i}");
        }

        // 2. Runs of the key's residues as stored in memory (first 64 residues of the first row, 8 bytes each).
        byte[] residues = SecretKeyBytes(secretKey);
        for (int start = 0; start + 32 <= residues.Length; start += 32)
        {
            Assert.True(haystack.AsSpan().IndexOf(residues.AsSpan(start, 32)) < 0, $"{what}: holds secret-key residues");
        }
    }

    private static byte[] SecretKeyBytes(SecretKey key)
    {
        // The residues are internal to the engine; reach them through its serialization of the key for this check.
        using var stream = new MemoryStream();
        CkksSerializer.ExportSecretKey(stream, key);
        return stream.ToArray();
    }
}
