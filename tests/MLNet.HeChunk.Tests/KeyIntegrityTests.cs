using System.Security.Cryptography;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Tests;

/// <summary>
/// Replays the key-file failures of issue 11: a flipped bit anywhere in <c>public.keys</c> (the relinearization and
/// Galois keys included) is refused; the key-set id covers every evaluation key; old formats and insecure parameters
/// are refused with a message saying so; the secret key file is owner-only, never silently overwritten, and optionally
/// passphrase-protected.
/// </summary>
public class KeyIntegrityTests : IClassFixture<EncryptedCnnFixture>
{
    private readonly EncryptedCnnFixture _fixture;

    public KeyIntegrityTests(EncryptedCnnFixture fixture) => _fixture = fixture;

    private byte[] PublicBytes()
    {
        using var stream = new MemoryStream();
        _fixture.Keys.SavePublic(stream);
        return stream.ToArray();
    }

    [Fact]
    public void AFlippedBitAnywhereInThePublicKeyFileIsRefused()
    {
        byte[] original = PublicBytes();
        Assert.Equal(_fixture.Keys.KeySetId, HeChunkKeys.LoadPublic(new MemoryStream(original)).KeySetId);
        long relinearizationStart = 6 + CkksSerializer.GetSerializedSize(_fixture.Parameters) + CkksSerializer.GetSerializedSize(_fixture.Keys.PublicKey);
        long galoisStart = relinearizationStart + CkksSerializer.GetSerializedSize(_fixture.Keys.RelinearizationKey);
        // Header, parameters, public key, inside the relinearization key, inside the Galois keys, their last byte, the digest.
        long[] positions = [4, 30, relinearizationStart - 100, relinearizationStart + 5000, galoisStart + 77_777, original.Length - 33, original.Length - 1];
        foreach (long position in positions)
        {
            byte[] damaged = (byte[])original.Clone();
            damaged[position] ^= 0x01;
            var e = Assert.Throws<InvalidDataException>(() => HeChunkKeys.LoadPublic(new MemoryStream(damaged)));
            Assert.Contains("public key file", e.Message);
        }
    }

    [Fact]
    public void TheKeySetIdCoversTheGaloisKeys()
    {
        // A forger who flips a residue bit deep in the Galois keys and recomputes the digest gets a file that loads,
        // but under another key-set id, so chunk groups and scores of the real key set are refused against it.
        byte[] forged = PublicBytes();
        long galoisStart = 6 + CkksSerializer.GetSerializedSize(_fixture.Parameters) + CkksSerializer.GetSerializedSize(_fixture.Keys.PublicKey)
            + CkksSerializer.GetSerializedSize(_fixture.Keys.RelinearizationKey);
        forged[galoisStart + 200_000] ^= 0x01;
        SHA256.HashData(forged.AsSpan(0, forged.Length - 32), forged.AsSpan(forged.Length - 32));
        HeChunkKeys loaded;
        try
        {
            loaded = HeChunkKeys.LoadPublic(new MemoryStream(forged));
        }
        catch (InvalidDataException)
        {
            return; // the flip pushed a residue above its prime: refused outright, also fine
        }

        Assert.NotEqual(_fixture.Keys.KeySetId, loaded.KeySetId);
    }

    [Fact]
    public void VersionOneKeyFilesAreRefusedWithAMessageSayingSo()
    {
        byte[] old = [0x48, 0x43, 0x4B, 0x31, 1, 0, 0, 0, 0, 0];
        Assert.Contains("version 1", Assert.Throws<InvalidDataException>(() => HeChunkKeys.LoadPublic(new MemoryStream(old))).Message);
        byte[] oldSecret = [0x48, 0x43, 0x53, 0x31, 16, 0, 0, 0];
        Assert.Contains("version 1", Assert.Throws<InvalidDataException>(() =>
            HeChunkKeys.Load(new MemoryStream(PublicBytes()), new MemoryStream(oldSecret))).Message);
    }

    [Fact]
    public void InsecureKeyFilesLoadOnlyWhenTheCallerNamesTheInsecureMode()
    {
        HeChunkKeys insecure = HeChunkKeys.Generate(CkksParameters.Create(CkksPresets.InsecureN1024), [1]);
        using var stream = new MemoryStream();
        insecure.SavePublic(stream);
        var e = Assert.Throws<InvalidDataException>(() => HeChunkKeys.LoadPublic(new MemoryStream(stream.ToArray())));
        Assert.Contains("insecure", e.Message);
        Assert.Equal(insecure.KeySetId, HeChunkKeys.LoadPublic(new MemoryStream(stream.ToArray()), SecurityMode.InsecureForTestingOnly).KeySetId);
    }

    [Fact]
    public void TheSecretKeyFileIsOwnerOnlyAndNeverSilentlyOverwritten()
    {
        string folder = Directory.CreateTempSubdirectory("hechunk-keys-").FullName;
        try
        {
            string path = Path.Combine(folder, "secret.key");
            _fixture.Keys.ExportSecretKey(path);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            byte[] first = File.ReadAllBytes(path);
            var e = Assert.Throws<IOException>(() => _fixture.Keys.ExportSecretKey(path));
            Assert.Contains("already exists", e.Message);
            Assert.Equal(first, File.ReadAllBytes(path));

            // With the explicit flag it is replaced, still owner-only even when the old file was world-readable.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            }

            _fixture.Keys.ExportSecretKey(path, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            string publicPath = Path.Combine(folder, "public.keys");
            _fixture.Keys.SavePublic(publicPath);
            Assert.Equal(_fixture.Keys.KeySetId, HeChunkKeys.Load(publicPath, path).KeySetId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void APassphraseProtectedSecretKeyOpensOnlyWithItsPassphrase()
    {
        byte[] publicBytes = PublicBytes();
        using var secret = new MemoryStream();
        _fixture.Keys.ExportSecretKey(secret, "correct horse battery staple");
        byte[] sealedKey = secret.ToArray();
        byte[] plainKey = CkksSerializer.ExportSecretKey(_fixture.Keys.SecretKey!);
        Assert.True(sealedKey.AsSpan().IndexOf(plainKey.AsSpan(0, 64)) < 0, "the protected file holds the key in the clear");

        HeChunkKeys loaded = HeChunkKeys.Load(new MemoryStream(publicBytes), new MemoryStream(sealedKey), "correct horse battery staple");
        Assert.True(loaded.HasSecretKey);
        Assert.Contains("wrong passphrase", Assert.Throws<InvalidDataException>(() =>
            HeChunkKeys.Load(new MemoryStream(publicBytes), new MemoryStream(sealedKey), "Tr0ub4dor&3")).Message);
        Assert.Contains("passphrase-protected", Assert.Throws<InvalidDataException>(() =>
            HeChunkKeys.Load(new MemoryStream(publicBytes), new MemoryStream(sealedKey))).Message);

        byte[] damaged = (byte[])sealedKey.Clone();
        damaged[damaged.Length / 2] ^= 0x40;
        Assert.Contains("digest", Assert.Throws<InvalidDataException>(() =>
            HeChunkKeys.Load(new MemoryStream(publicBytes), new MemoryStream(damaged), "correct horse battery staple")).Message);
    }

    [Fact]
    public void PackingOptionsAreCheckedAgainstTheRingBeforeAnythingIsAllocated()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ArgumentException>(() => HeChunkKeys.GenerateForChunkCnn(_fixture.Parameters, new ChunkPacking(7, 7, 1_000_000)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("channels", e.Message);
        Assert.True(allocated < 1 << 20, $"refusing a million channels allocated {allocated} bytes");
        Assert.Contains("slots", Assert.Throws<ArgumentException>(() =>
            HeChunkKeys.GenerateForChunkCnn(_fixture.Parameters, new ChunkPacking(7, 1, 16))).Message);
    }
}
