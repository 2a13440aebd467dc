using System.Security.Cryptography;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// Appends a SHA-256 digest to a payload and checks it before anything else is parsed, so accidental corruption or
/// tampering on the way (a flipped bit that still leaves every residue below its prime) is refused instead of
/// decrypting to a silently wrong answer. It is an integrity check, not authentication: someone who can rewrite the
/// bytes can rewrite the digest too; authenticity belongs to the transport.
/// </summary>
internal static class IntegrityEnvelope
{
    private const int DigestLength = 32;

    public static byte[] Seal(ReadOnlySpan<byte> payload)
    {
        var result = new byte[payload.Length + DigestLength];
        payload.CopyTo(result);
        SHA256.HashData(payload, result.AsSpan(payload.Length));
        return result;
    }

    /// <exception cref="InvalidDataException">The digest is missing or does not match.</exception>
    public static ReadOnlySpan<byte> Open(ReadOnlySpan<byte> sealedBytes, string what)
    {
        if (sealedBytes.Length < DigestLength)
        {
            throw new InvalidDataException($"{what}: {sealedBytes.Length} bytes are too few to hold the integrity digest");
        }

        ReadOnlySpan<byte> payload = sealedBytes[..^DigestLength];
        Span<byte> digest = stackalloc byte[DigestLength];
        SHA256.HashData(payload, digest);
        if (!CryptographicOperations.FixedTimeEquals(digest, sealedBytes[^DigestLength..]))
        {
            throw new InvalidDataException($"{what}: the integrity digest does not match: the bytes were corrupted or tampered with");
        }

        return payload;
    }
}
