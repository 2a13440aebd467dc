using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// Replays the model-zip failures of issue 11: a flipped bit in any entry is refused by the manifest digest; a client
/// encryptor uses the key set its caller passes and refuses a zip saved for another key set; a forged size field is
/// refused before it is allocated; old zips are refused with a message saying so.
/// </summary>
public class ModelIntegrityTests : IClassFixture<EncryptedCnnFixture>
{
    private readonly EncryptedCnnFixture _fixture;
    private readonly MLContext _ml = new(seed: 1);
    private readonly Lazy<HeChunkKeys> _keys;

    public ModelIntegrityTests(EncryptedCnnFixture fixture)
    {
        _fixture = fixture;
        // One rotation only: a small key set keeps the zip a few MB.
        _keys = new Lazy<HeChunkKeys>(() => HeChunkKeys.Generate(_fixture.Parameters, [1]));
    }

    private (byte[] Zip, IDataView Data) SavedEncryptor()
    {
        var random = new Random(11);
        var pixels = TestData.Pixels(_ml, TestData.Random(random, 56 * 56));
        var data = _ml.Transforms.SplitChunks("Chunks", "Pixels").Append(_ml.Transforms.SobelGate("ChunkIndex", "Pixels")).Fit(pixels).Transform(pixels);
        var model = _ml.Transforms.EncryptChunks("EncryptedChunks", _keys.Value, "Chunks",
            new ChunkEncryptionOptions { Mode = EncryptionMode.AllChunks, Packing = new ChunkPacking(7, 7, 16) }).Fit(data);
        using var stream = new MemoryStream();
        HeChunkModel.Save(_ml, model, data.Schema, stream);
        return (stream.ToArray(), data);
    }

    [Fact]
    public void TheClientEncryptorUsesTheCallersKeysAndRefusesAZipOfOtherKeys()
    {
        var (zip, data) = SavedEncryptor();
        var loaded = (ChunkEncryptingTransformer)HeChunkModel.Load(new MLContext(), new MemoryStream(zip), out _, _keys.Value.PublicOnly());
        Assert.Equal(_keys.Value.KeySetId, loaded.KeySetId);
        Assert.NotEmpty(TestData.Read(loaded.Transform(data), "EncryptedChunks"));

        HeChunkKeys other = HeChunkKeys.Generate(_fixture.Parameters, [1]);
        var e = Assert.Throws<InvalidDataException>(() => HeChunkModel.Load(new MLContext(), new MemoryStream(zip), out _, other));
        Assert.Contains(_keys.Value.KeySetId, e.Message);
        Assert.Contains(other.KeySetId, e.Message);

        // Without keys the zip's own keys are not used to encrypt.
        Assert.Contains("never used to encrypt", Assert.Throws<InvalidOperationException>(() =>
            HeChunkModel.Load(new MLContext(), new MemoryStream(zip), out _)).Message);
    }

    [Fact]
    public void AFlippedBitInAnyEntryIsRefusedByTheDigest()
    {
        var (zip, _) = SavedEncryptor();
        List<string> names;
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            names = [.. archive.Entries.Select(e => e.FullName).Where(n => n != "MLNet.HeChunk/manifest.json")];
        Assert.Contains("MLNet.HeChunk/000/public-keys.bin", names);
        foreach (string name in names)
        {
            byte[] damaged = Rewrite(zip, name, content => content[content.Length / 2] ^= 0x04);
            var e = Assert.Throws<InvalidDataException>(() => HeChunkModel.Load(new MLContext(), new MemoryStream(damaged), out _, _keys.Value));
            Assert.Contains("digest", e.Message);
        }
    }

    [Fact]
    public void AForgedSizeFieldIsRefusedBeforeItIsAllocated()
    {
        var (zip, _) = SavedEncryptor();
        const string Entry = "MLNet.HeChunk/000/public-keys.bin";
        long length;
        using (var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read))
            length = archive.GetEntry(Entry)!.Length;

        // The size field alone (the manifest disagrees), then the manifest forged to agree (the 1.4 GB case).
        byte[] sizeOnly = ForgeUncompressedSize(zip, Entry, 1_400_000_000);
        byte[] both = ForgeUncompressedSize(
            Rewrite(zip, "MLNet.HeChunk/manifest.json", content => Encoding.UTF8.GetBytes(
                Encoding.UTF8.GetString(content).Replace($"\"Length\": {length}", "\"Length\": 1400000000"))),
            Entry, 1_400_000_000);
        foreach (byte[] forged in new[] { sizeOnly, both })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<InvalidDataException>(() => HeChunkModel.Load(new MLContext(), new MemoryStream(forged), out _, _keys.Value));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Contains(Entry, e.Message);
            Assert.True(allocated < 8L * zip.Length + (64 << 20), $"refusing the forged size allocated {allocated:N0} bytes for a {zip.Length:N0}-byte zip");
            if (forged == both)
            {
                Assert.Contains("forged size field", e.Message);
            }
        }
    }

    [Fact]
    public void VersionOneZipsAreRefusedWithAMessageSayingSo()
    {
        var (zip, _) = SavedEncryptor();
        byte[] old = Rewrite(zip, "MLNet.HeChunk/manifest.json",
            content => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(content).Replace("\"FormatVersion\": 2", "\"FormatVersion\": 1")));
        var e = Assert.Throws<InvalidDataException>(() => HeChunkModel.Load(new MLContext(), new MemoryStream(old), out _, _keys.Value));
        Assert.Contains("version 1", e.Message);
    }

    private static byte[] Rewrite(byte[] zip, string entryName, Action<byte[]> change) =>
        Rewrite(zip, entryName, content =>
        {
            change(content);
            return content;
        });

    private static byte[] Rewrite(byte[] zip, string entryName, Func<byte[], byte[]> change)
    {
        var buffer = new MemoryStream();
        buffer.Write(zip);
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = archive.GetEntry(entryName)!;
            byte[] content;
            using (var stream = entry.Open())
            {
                var copy = new MemoryStream();
                stream.CopyTo(copy);
                content = change(copy.ToArray());
            }

            entry.Delete();
            using var replaced = archive.CreateEntry(entryName).Open();
            replaced.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="size"/> into the entry's uncompressed-size fields (local and central headers).</summary>
    private static byte[] ForgeUncompressedSize(byte[] zip, string entryName, uint size)
    {
        byte[] forged = (byte[])zip.Clone();
        byte[] name = Encoding.UTF8.GetBytes(entryName);
        int found = 0;
        for (int i = 0; i + 46 < forged.Length; i++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(forged.AsSpan(i));
            if (signature == 0x04034b50 && forged.AsSpan(i + 30, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(forged.AsSpan(i + 22), size);
                found++;
            }
            else if (signature == 0x02014b50 && forged.AsSpan(i + 46, Math.Min(name.Length, forged.Length - i - 46)).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(forged.AsSpan(i + 24), size);
                found++;
            }
        }

        Assert.Equal(2, found);
        return forged;
    }
}
