using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// Byte layout of a secret key file, version 2 (little-endian):
/// <code>
/// u32 magic "HCSK" | u16 version (2) | u8 protection (0 none, 1 passphrase) | u8 id length | id (ASCII key-set id)
/// protection 0: the CKKS secret key (docs/serialization.md)
/// protection 1: u32 PBKDF2 iterations | 16-byte salt | 12-byte nonce | 16-byte tag | AES-256-GCM ciphertext of the CKKS secret key
/// 32 bytes SHA-256 of everything before
/// </code>
/// The passphrase key is PBKDF2-HMAC-SHA256 (<see cref="Iterations"/> iterations, 16-byte random salt) and the
/// AES-GCM associated data is every byte before the ciphertext, so the id, the iteration count and the salt cannot be
/// swapped. The trailing digest tells damage ("the file is damaged") apart from a wrong passphrase (the tag fails on
/// intact bytes). Version 1 files (magic "HCS1", no digest, no protection) are refused with a message saying so.
/// </summary>
internal static class SecretKeyFileFormat
{
    /// <summary>PBKDF2 iterations written: OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int Iterations = 600_000;

    private const uint Magic = 0x4B534348; // "HCSK"
    private const uint Version1Magic = 0x31534348; // "HCS1"
    private const ushort Version = 2;
    private const int MinIterations = 100_000;
    private const int MaxIterations = 1_000_000; // about 0.5 s of PBKDF2 here: a forged count cannot stall a reader
    private const int SaltLength = 16;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int DigestLength = 32;

    /// <summary>Upper bound on a secret key file (N = 32768 is 8 kB of key); larger input is refused before reading.</summary>
    public const long MaxFileLength = 1 << 20;

    public static byte[] Write(string keySetId, byte[] secretKey, string? passphrase)
    {
        using var buffer = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(word, Magic);
        buffer.Write(word);
        BinaryPrimitives.WriteUInt16LittleEndian(word, Version);
        buffer.Write(word[..2]);
        buffer.WriteByte(passphrase is null ? (byte)0 : (byte)1);
        byte[] id = Encoding.ASCII.GetBytes(keySetId);
        buffer.WriteByte((byte)id.Length);
        buffer.Write(id);
        if (passphrase is null)
        {
            buffer.Write(secretKey);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(word, Iterations);
            buffer.Write(word);
            byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);
            byte[] nonce = RandomNumberGenerator.GetBytes(NonceLength);
            buffer.Write(salt);
            buffer.Write(nonce);
            byte[] associated = buffer.ToArray();
            var tag = new byte[TagLength];
            var ciphertext = new byte[secretKey.Length];
            byte[] key = DeriveKey(passphrase, salt, Iterations);
            try
            {
                using var aes = new AesGcm(key, TagLength);
                aes.Encrypt(nonce, secretKey, ciphertext, tag, associated);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }

            buffer.Write(tag);
            buffer.Write(ciphertext);
        }

        return IntegrityEnvelope.Seal(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Opens a secret key file: the key-set id and the CKKS secret key bytes.</summary>
    /// <exception cref="InvalidDataException">Damaged, old version, wrong or missing passphrase; the message says which.</exception>
    public static (string KeySetId, byte[] SecretKey) Read(ReadOnlySpan<byte> bytes, string? passphrase)
    {
        if (bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == Version1Magic)
        {
            throw new InvalidDataException("secret key file: format version 1 (no integrity digest) is no longer read; generate a new key set");
        }

        if (bytes.Length < 8 + DigestLength || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new InvalidDataException("not an MLNet.HeChunk secret key file (bad magic number or too short)");
        }

        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != Version)
        {
            throw new InvalidDataException($"secret key file: format version {version}, this library reads version {Version}");
        }

        ReadOnlySpan<byte> payload = IntegrityEnvelope.Open(bytes, "secret key file");
        byte protection = payload[6];
        int idLength = payload[7];
        int offset = 8 + idLength;
        if (offset > payload.Length)
        {
            throw new InvalidDataException($"secret key file: the key-set id claims {idLength} bytes, {payload.Length - 8} remain");
        }

        string id = Encoding.ASCII.GetString(payload[8..offset]);
        switch (protection)
        {
            case 0:
                if (passphrase is not null)
                {
                    throw new InvalidDataException("secret key file: a passphrase was given, but the file is not passphrase-protected");
                }

                return (id, payload[offset..].ToArray());
            case 1:
                if (passphrase is null)
                {
                    throw new InvalidDataException("secret key file: the file is passphrase-protected; give its passphrase");
                }

                int header = offset + 4 + SaltLength + NonceLength;
                if (payload.Length < header + TagLength)
                {
                    throw new InvalidDataException("secret key file: truncated passphrase header");
                }

                int iterations = BinaryPrimitives.ReadInt32LittleEndian(payload[offset..]);
                if (iterations < MinIterations || iterations > MaxIterations)
                {
                    throw new InvalidDataException($"secret key file: {iterations} PBKDF2 iterations are outside [{MinIterations}, {MaxIterations}]");
                }

                ReadOnlySpan<byte> salt = payload.Slice(offset + 4, SaltLength);
                ReadOnlySpan<byte> nonce = payload.Slice(offset + 4 + SaltLength, NonceLength);
                ReadOnlySpan<byte> tag = payload.Slice(header, TagLength);
                ReadOnlySpan<byte> ciphertext = payload[(header + TagLength)..];
                var plain = new byte[ciphertext.Length];
                byte[] key = DeriveKey(passphrase, salt, iterations);
                try
                {
                    using var aes = new AesGcm(key, TagLength);
                    aes.Decrypt(nonce, ciphertext, tag, plain, payload[..header]);
                }
                catch (AuthenticationTagMismatchException)
                {
                    throw new InvalidDataException("secret key file: wrong passphrase (the file itself is intact)");
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(key);
                }

                return (id, plain);
            default:
                throw new InvalidDataException($"secret key file: unknown protection {protection}");
        }
    }

    private static byte[] DeriveKey(string passphrase, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 32);
}
