using System.Security.Cryptography;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// A client's CKKS key set: the secret key (kept on the client), and the public material a server needs: the
/// public key (to encrypt), the relinearization key and the Galois keys for the rotations a model uses. The public
/// part and the secret key are saved through separate, explicitly named calls; nothing that writes the public part
/// can write the secret key.
/// </summary>
public sealed class HeChunkKeys
{
    private const uint PublicMagic = 0x314B4348; // "HCK1"
    private const uint SecretMagic = 0x31534348; // "HCS1"

    private HeChunkKeys(CkksParameters parameters, PublicKey publicKey, RelinearizationKey relinearizationKey, GaloisKeys galoisKeys, SecretKey? secretKey)
    {
        Parameters = parameters;
        PublicKey = publicKey;
        RelinearizationKey = relinearizationKey;
        GaloisKeys = galoisKeys;
        SecretKey = secretKey;
        KeySetId = Convert.ToHexString(SHA256.HashData(CkksSerializer.ToBytes(publicKey)), 0, 8).ToLowerInvariant();
    }

    /// <summary>The parameter set.</summary>
    public CkksParameters Parameters { get; }

    /// <summary>The public encryption key.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The relinearization key.</summary>
    public RelinearizationKey RelinearizationKey { get; }

    /// <summary>Galois keys for the generated rotation steps.</summary>
    public GaloisKeys GaloisKeys { get; }

    /// <summary>The secret key, or null in a server's public-only key set.</summary>
    public SecretKey? SecretKey { get; }

    /// <summary>Whether this key set can decrypt.</summary>
    public bool HasSecretKey => SecretKey is not null;

    /// <summary>
    /// A short identifier of the key set (a digest of the public key). Every encrypted group and score records it,
    /// so data encrypted under another key set is refused instead of decrypting to noise.
    /// </summary>
    public string KeySetId { get; }

    /// <summary>Generates a fresh key set with Galois keys for <paramref name="rotationSteps"/>.</summary>
    /// <param name="parameters">The CKKS parameters.</param>
    /// <param name="rotationSteps">Slot rotations the server will perform.</param>
    /// <param name="degreeOfParallelism">Threads for key generation.</param>
    public static HeChunkKeys Generate(CkksParameters parameters, IEnumerable<int> rotationSteps, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(rotationSteps);
        var generator = new KeyGenerator(parameters, degreeOfParallelism);
        SecretKey secretKey = generator.GenerateSecretKey();
        return new HeChunkKeys(
            parameters,
            generator.GeneratePublicKey(secretKey),
            generator.GenerateRelinearizationKey(secretKey),
            generator.GenerateGaloisKeys(secretKey, rotationSteps),
            secretKey);
    }

    /// <summary>
    /// Generates a key set for the encrypted chunk CNN: Galois keys for exactly the rotations
    /// <see cref="ChunkCnnRotations.Steps"/> names for this packing and chunk size.
    /// </summary>
    public static HeChunkKeys GenerateForChunkCnn(CkksParameters parameters, ChunkPacking packing, int chunkSide = 28, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.MaxLevel < ChunkPacking.RequiredDepth)
        {
            throw new ArgumentException(
                $"the encrypted chunk CNN needs {ChunkPacking.RequiredDepth} levels; these parameters have {parameters.MaxLevel} ({parameters})");
        }

        return Generate(parameters, ChunkCnnRotations.Steps(packing, chunkSide, parameters.SlotCount), degreeOfParallelism);
    }

    /// <summary>The same keys without the secret key: what a server receives.</summary>
    public HeChunkKeys PublicOnly() => new(Parameters, PublicKey, RelinearizationKey, GaloisKeys, null);

    /// <summary>Writes the public part (parameters, public, relinearization and Galois keys); never the secret key.</summary>
    public void SavePublic(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(PublicMagic);
        writer.Flush();
        CkksSerializer.Write(stream, Parameters);
        CkksSerializer.Write(stream, PublicKey);
        CkksSerializer.Write(stream, RelinearizationKey);
        CkksSerializer.Write(stream, GaloisKeys);
    }

    /// <summary>Writes the public part to a file.</summary>
    public void SavePublic(string path)
    {
        using FileStream file = File.Create(path);
        SavePublic(file);
    }

    /// <summary>
    /// Writes the secret key, with the id of the key set it belongs to. Keep the result on the client; whoever has it
    /// can decrypt everything encrypted under this key set.
    /// </summary>
    /// <exception cref="InvalidOperationException">This key set has no secret key.</exception>
    public void ExportSecretKey(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SecretKey secretKey = SecretKey ?? throw new InvalidOperationException("this is a public-only key set: it has no secret key to export");
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(SecretMagic);
        writer.Write(KeySetId);
        writer.Flush();
        CkksSerializer.ExportSecretKey(stream, secretKey);
    }

    /// <summary>Writes the secret key to a file (see <see cref="ExportSecretKey(Stream)"/>).</summary>
    public void ExportSecretKey(string path)
    {
        using FileStream file = File.Create(path);
        ExportSecretKey(file);
    }

    /// <summary>Reads a public key set written by <see cref="SavePublic(Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">The data is not a key set or is damaged; the message says what.</exception>
    public static HeChunkKeys LoadPublic(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            if (reader.ReadUInt32() != PublicMagic)
            {
                throw new InvalidDataException("not an MLNet.HeChunk public key file (bad magic number)");
            }

            CkksParameters parameters = CkksSerializer.ReadParameters(stream);
            PublicKey publicKey = CkksSerializer.ReadPublicKey(stream, parameters);
            RelinearizationKey relinearizationKey = CkksSerializer.ReadRelinearizationKey(stream, parameters);
            GaloisKeys galoisKeys = CkksSerializer.ReadGaloisKeys(stream, parameters);
            return new HeChunkKeys(parameters, publicKey, relinearizationKey, galoisKeys, null);
        }
        catch (Exception e) when (e is CkksFormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"damaged public key file: {e.Message}", e);
        }
    }

    /// <summary>Reads a public key set from a file.</summary>
    public static HeChunkKeys LoadPublic(string path)
    {
        using FileStream file = File.OpenRead(path);
        return LoadPublic(file);
    }

    /// <summary>
    /// Reads a full key set: the public part and the secret key exported from the same key set. The secret key is
    /// checked against the public key (b + a*s must be a small error), so a secret key of another key set is refused.
    /// </summary>
    /// <exception cref="InvalidDataException">Either file is damaged, or the secret key belongs to another key set.</exception>
    public static HeChunkKeys Load(Stream publicStream, Stream secretStream)
    {
        HeChunkKeys publicKeys = LoadPublic(publicStream);
        ArgumentNullException.ThrowIfNull(secretStream);
        SecretKey secretKey;
        try
        {
            using var reader = new BinaryReader(secretStream, System.Text.Encoding.UTF8, leaveOpen: true);
            if (reader.ReadUInt32() != SecretMagic)
            {
                throw new InvalidDataException("not an MLNet.HeChunk secret key file (bad magic number)");
            }

            string id = reader.ReadString();
            if (id != publicKeys.KeySetId)
            {
                throw new InvalidDataException($"the secret key belongs to key set {id}, the public keys to key set {publicKeys.KeySetId}");
            }

            secretKey = CkksSerializer.ImportSecretKey(secretStream, publicKeys.Parameters);
        }
        catch (Exception e) when (e is CkksFormatException or EndOfStreamException)
        {
            throw new InvalidDataException($"damaged secret key file: {e.Message}", e);
        }

        if (!new Decryptor(publicKeys.Parameters, secretKey).Matches(publicKeys.PublicKey))
        {
            throw new InvalidDataException($"the secret key does not match the public key of key set {publicKeys.KeySetId}");
        }

        return new HeChunkKeys(publicKeys.Parameters, publicKeys.PublicKey, publicKeys.RelinearizationKey, publicKeys.GaloisKeys, secretKey);
    }

    /// <summary>Reads a full key set from two files.</summary>
    public static HeChunkKeys Load(string publicPath, string secretPath)
    {
        using FileStream publicFile = File.OpenRead(publicPath);
        using FileStream secretFile = File.OpenRead(secretPath);
        return Load(publicFile, secretFile);
    }

    /// <summary>Throws when <paramref name="parameters"/> are not this key set's.</summary>
    internal void RequireParameters(CkksParameters parameters, string what)
    {
        if (parameters.Fingerprint != Parameters.Fingerprint)
        {
            throw new InvalidDataException($"{what} uses CKKS parameters {parameters.Fingerprint:x16}, the keys use {Parameters.Fingerprint:x16}");
        }
    }
}
