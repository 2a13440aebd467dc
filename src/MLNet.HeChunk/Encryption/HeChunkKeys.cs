using System.Buffers.Binary;
using System.Security.Cryptography;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;
using MLNet.HeChunk.IO;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// A client's CKKS key set: the secret key (kept on the client), and the public material a server needs: the
/// public key (to encrypt), the relinearization key and the Galois keys for the rotations a model uses. The public
/// part and the secret key are saved through separate, explicitly named calls; nothing that writes the public part
/// can write the secret key.
/// </summary>
/// <remarks>
/// Public key file, version 2 (little-endian): <c>u32 magic "HCKP" | u16 version (2) | CKKS parameters | public key |
/// relinearization key | Galois keys | 32-byte SHA-256 of everything before</c> (CKKS objects as in
/// docs/serialization.md). The digest covers every byte, and <see cref="KeySetId"/> is its first 8 bytes, so the id
/// names the whole evaluation key set: a flipped bit in any key changes the id or is refused. Version 1 files (magic
/// "HCK1", no digest) are refused with a message saying so. The secret key file is described by
/// <c>SecretKeyFileFormat</c>: owner-only, never overwritten unless asked, optionally passphrase-protected.
/// </remarks>
public sealed class HeChunkKeys
{
    private const uint PublicMagic = 0x504B4348; // "HCKP"
    private const uint PublicVersion1Magic = 0x314B4348; // "HCK1"
    private const ushort PublicVersion = 2;
    private const int DigestLength = 32;

    private readonly Lazy<string> _keySetId;

    private HeChunkKeys(CkksParameters parameters, PublicKey publicKey, RelinearizationKey relinearizationKey, GaloisKeys galoisKeys, SecretKey? secretKey, string? keySetId)
    {
        Parameters = parameters;
        PublicKey = publicKey;
        RelinearizationKey = relinearizationKey;
        GaloisKeys = galoisKeys;
        SecretKey = secretKey;
        _keySetId = keySetId is null ? new Lazy<string>(ComputeKeySetId) : new Lazy<string>(keySetId);
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
    /// A short identifier of the key set: the first 8 bytes (16 hex digits) of the SHA-256 of the whole public key
    /// file (parameters, public, relinearization and Galois keys). Every encrypted group and score records it, so data
    /// encrypted under another key set is refused instead of decrypting to noise, and two key sets that differ in any
    /// evaluation key have different ids.
    /// </summary>
    public string KeySetId => _keySetId.Value;

    /// <summary>Generates a fresh key set with Galois keys for <paramref name="rotationSteps"/>.</summary>
    /// <param name="parameters">The CKKS parameters.</param>
    /// <param name="rotationSteps">Slot rotations the server will perform.</param>
    /// <param name="degreeOfParallelism">Threads for key generation.</param>
    public static HeChunkKeys Generate(CkksParameters parameters, IEnumerable<int> rotationSteps, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(rotationSteps);
        return Generate(parameters, rotationSteps.Select(step => GaloisKeyRequest.Rotation(step, parameters.MaxLevel)).ToList(), parameters.MaxLevel, degreeOfParallelism);
    }

    /// <summary>
    /// Generates a fresh key set whose evaluation keys are made for the levels a circuit uses them at: each Galois key
    /// for its request's level, the relinearization key for <paramref name="relinearizationLevel"/> (smaller keys;
    /// see <see cref="KeySwitchingKey"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A level is negative or above the parameters' top level.</exception>
    public static HeChunkKeys Generate(CkksParameters parameters, IReadOnlyList<GaloisKeyRequest> galoisKeys, int relinearizationLevel, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(galoisKeys);
        var generator = new KeyGenerator(parameters, degreeOfParallelism);
        SecretKey secretKey = generator.GenerateSecretKey();
        return new HeChunkKeys(
            parameters,
            generator.GeneratePublicKey(secretKey),
            generator.GenerateRelinearizationKey(secretKey, relinearizationLevel),
            generator.GenerateGaloisKeys(secretKey, galoisKeys),
            secretKey,
            null);
    }

    /// <summary>
    /// Generates a key set for the encrypted chunk CNN: Galois keys for exactly the rotations (and the conjugation)
    /// <see cref="ChunkCnnRotations.KeyRequests"/> names for this packing and chunk size, each for the highest level the
    /// circuit uses it at, and the relinearization key for the level of the first square. The packing is checked against the
    /// ring before anything is allocated.
    /// </summary>
    /// <exception cref="ArgumentException">The parameters lack depth, or the packing does not fit the chunk or the ring.</exception>
    public static HeChunkKeys GenerateForChunkCnn(CkksParameters parameters, ChunkPacking packing, int chunkSide = 28, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(packing);
        if (parameters.MaxLevel < ChunkPacking.RequiredDepth)
        {
            throw new ArgumentException(
                $"the encrypted chunk CNN needs {ChunkPacking.RequiredDepth} levels; these parameters have {parameters.MaxLevel} ({parameters})");
        }

        packing.Validate(chunkSide, parameters.SlotCount);
        return Generate(parameters, ChunkCnnRotations.KeyRequests(packing, chunkSide, parameters.SlotCount, parameters.MaxLevel),
            ChunkCnnRotations.RelinearizationLevel(parameters.MaxLevel), degreeOfParallelism);
    }

    /// <summary>The same keys without the secret key: what a server receives.</summary>
    public HeChunkKeys PublicOnly() => new(Parameters, PublicKey, RelinearizationKey, GaloisKeys, null, KeySetId);

    /// <summary>Writes the public part (parameters, public, relinearization and Galois keys, digest); never the secret key.</summary>
    public void SavePublic(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var hashing = new HashingStream(stream);
        WritePublicPayload(hashing);
        hashing.Flush();
        stream.Write(hashing.GetHashAndReset());
    }

    /// <summary>Writes the public part to a file (through a temporary file and a rename).</summary>
    public void SavePublic(string path) => SafeFile.Write(path, SavePublic);

    /// <summary>
    /// Writes the secret key, with the id of the key set it belongs to. Keep the result on the client; whoever has it
    /// can decrypt everything encrypted under this key set.
    /// </summary>
    /// <param name="stream">The destination.</param>
    /// <param name="passphrase">When given, the key is sealed with AES-256-GCM under a key derived from it by PBKDF2-HMAC-SHA256 (600,000 iterations).</param>
    /// <exception cref="InvalidOperationException">This key set has no secret key.</exception>
    public void ExportSecretKey(Stream stream, string? passphrase = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (passphrase is { Length: 0 })
        {
            throw new ArgumentException("an empty passphrase protects nothing; pass null for an unprotected file", nameof(passphrase));
        }

        SecretKey secretKey = SecretKey ?? throw new InvalidOperationException("this is a public-only key set: it has no secret key to export");
        byte[] raw = CkksSerializer.ExportSecretKey(secretKey);
        try
        {
            stream.Write(SecretKeyFileFormat.Write(KeySetId, raw, passphrase));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>
    /// Writes the secret key to a file readable by its owner only (0600 on Unix), through a temporary file and a
    /// rename. An existing file is never replaced unless <paramref name="overwrite"/> is true.
    /// </summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false.</exception>
    public void ExportSecretKey(string path, string? passphrase = null, bool overwrite = false) =>
        SafeFile.Write(path, stream => ExportSecretKey(stream, passphrase), overwrite, ownerOnly: true);

    /// <summary>Reads a public key set written by <see cref="SavePublic(Stream)"/>; the digest is checked before anything is parsed.</summary>
    /// <param name="stream">The key file's bytes (read to its end).</param>
    /// <param name="accepted">The weakest parameter security accepted; the default refuses sets below 128-bit security.</param>
    /// <exception cref="InvalidDataException">The data is not a key set, is of an old version, is damaged or its parameters are refused; the message says what.</exception>
    public static HeChunkKeys LoadPublic(Stream stream, SecurityMode accepted = SecurityMode.Require128Bit)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = SafeFile.ReadAll(stream, Array.MaxLength, "public key file");
        if (bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == PublicVersion1Magic)
        {
            throw new InvalidDataException("public key file: format version 1 (no integrity digest) is no longer read; generate a new key set");
        }

        if (bytes.Length < 6 + DigestLength || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != PublicMagic)
        {
            throw new InvalidDataException("not an MLNet.HeChunk public key file (bad magic number or too short)");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4));
        if (version != PublicVersion)
        {
            throw new InvalidDataException($"public key file: format version {version}, this library reads version {PublicVersion}");
        }

        ReadOnlySpan<byte> payload = IntegrityEnvelope.Open(bytes, "public key file");
        string id = Convert.ToHexString(bytes, bytes.Length - DigestLength, 8).ToLowerInvariant();
        try
        {
            using var reader = new MemoryStream(bytes, 6, payload.Length - 6, writable: false);
            CkksParameters parameters = CkksSerializer.ReadParameters(reader, accepted);
            PublicKey publicKey = CkksSerializer.ReadPublicKey(reader, parameters);
            RelinearizationKey relinearizationKey = CkksSerializer.ReadRelinearizationKey(reader, parameters);
            GaloisKeys galoisKeys = CkksSerializer.ReadGaloisKeys(reader, parameters);
            if (reader.Position != reader.Length)
            {
                throw new InvalidDataException($"public key file: {reader.Length - reader.Position} unexpected bytes after the Galois keys");
            }

            return new HeChunkKeys(parameters, publicKey, relinearizationKey, galoisKeys, null, id);
        }
        catch (CkksFormatException e)
        {
            throw new InvalidDataException($"public key file: {e.Message}", e);
        }
    }

    /// <summary>Reads a public key set from a file (see <see cref="LoadPublic(Stream, SecurityMode)"/>).</summary>
    /// <exception cref="InvalidDataException">The file is damaged; the message names it.</exception>
    public static HeChunkKeys LoadPublic(string path, SecurityMode accepted = SecurityMode.Require128Bit)
    {
        using FileStream file = File.OpenRead(path);
        try
        {
            return LoadPublic(file, accepted);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads a full key set: the public part and the secret key exported from the same key set. The secret key is
    /// checked against the public key (b + a*s must be a small error), so a secret key of another key set is refused.
    /// </summary>
    /// <param name="publicStream">The public key file.</param>
    /// <param name="secretStream">The secret key file.</param>
    /// <param name="passphrase">The passphrase of a protected secret key file, else null.</param>
    /// <param name="accepted">The weakest parameter security accepted.</param>
    /// <exception cref="InvalidDataException">Either file is damaged, the passphrase is wrong or missing, or the secret key belongs to another key set.</exception>
    public static HeChunkKeys Load(Stream publicStream, Stream secretStream, string? passphrase = null, SecurityMode accepted = SecurityMode.Require128Bit)
    {
        HeChunkKeys publicKeys = LoadPublic(publicStream, accepted);
        ArgumentNullException.ThrowIfNull(secretStream);
        byte[] file = SafeFile.ReadAll(secretStream, SecretKeyFileFormat.MaxFileLength, "secret key file");
        (string id, byte[] raw) = SecretKeyFileFormat.Read(file, passphrase);
        if (id != publicKeys.KeySetId)
        {
            throw new InvalidDataException($"the secret key belongs to key set {id}, the public keys to key set {publicKeys.KeySetId}");
        }

        SecretKey secretKey;
        try
        {
            secretKey = CkksSerializer.ImportSecretKey(raw, publicKeys.Parameters);
        }
        catch (CkksFormatException e)
        {
            throw new InvalidDataException($"secret key file: {e.Message}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }

        if (!new Decryptor(publicKeys.Parameters, secretKey).Matches(publicKeys.PublicKey))
        {
            throw new InvalidDataException($"the secret key does not match the public key of key set {publicKeys.KeySetId}");
        }

        return new HeChunkKeys(publicKeys.Parameters, publicKeys.PublicKey, publicKeys.RelinearizationKey, publicKeys.GaloisKeys, secretKey, publicKeys.KeySetId);
    }

    /// <summary>Reads a full key set from two files (see <see cref="Load(Stream, Stream, string?, SecurityMode)"/>).</summary>
    /// <exception cref="InvalidDataException">Either file is damaged or they do not belong together; the message names the files.</exception>
    public static HeChunkKeys Load(string publicPath, string secretPath, string? passphrase = null, SecurityMode accepted = SecurityMode.Require128Bit)
    {
        using FileStream publicFile = File.OpenRead(publicPath);
        using FileStream secretFile = File.OpenRead(secretPath);
        try
        {
            return Load(publicFile, secretFile, passphrase, accepted);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{publicPath}' / '{secretPath}': {e.Message}", e);
        }
    }

    /// <summary>Throws when <paramref name="parameters"/> are not this key set's.</summary>
    internal void RequireParameters(CkksParameters parameters, string what)
    {
        if (parameters.Fingerprint != Parameters.Fingerprint)
        {
            throw new InvalidDataException($"{what} uses CKKS parameters {parameters.Fingerprint:x16}, the keys use {Parameters.Fingerprint:x16}");
        }
    }

    private void WritePublicPayload(Stream stream)
    {
        Span<byte> header = stackalloc byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(header, PublicMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], PublicVersion);
        stream.Write(header);
        CkksSerializer.Write(stream, Parameters);
        CkksSerializer.Write(stream, PublicKey);
        CkksSerializer.Write(stream, RelinearizationKey);
        CkksSerializer.Write(stream, GaloisKeys);
    }

    private string ComputeKeySetId()
    {
        using var hashing = new HashingStream(Stream.Null);
        WritePublicPayload(hashing);
        return Convert.ToHexString(hashing.GetHashAndReset(), 0, 8).ToLowerInvariant();
    }
}
