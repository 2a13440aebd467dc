using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// The server's answer for one image: a ciphertext whose first <see cref="ClassCount"/> slots hold the class logits
/// divided by <see cref="LogitScale"/> (kept small so they fit the last prime). Only the client can read it.
/// Byte layout: u32 "HCR1" | u16 version | string keySetId | i32 classCount | f64 logitScale | i32 length |
/// CKKS ciphertext | 32-byte SHA-256 of everything before.
/// </summary>
public sealed class EncryptedScores
{
    private const uint Magic = 0x31524348; // "HCR1"
    private const ushort Version = 1;

    /// <summary>Creates the answer.</summary>
    public EncryptedScores(string keySetId, int classCount, double logitScale, Ciphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(keySetId);
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (classCount > ciphertext.Parameters.SlotCount || !(logitScale > 0) || !double.IsFinite(logitScale))
        {
            throw new ArgumentException($"{classCount} classes at logit scale {logitScale} do not fit a ciphertext of {ciphertext.Parameters.SlotCount} slots");
        }

        KeySetId = keySetId;
        ClassCount = classCount;
        LogitScale = logitScale;
        Ciphertext = ciphertext;
    }

    /// <summary>The key set the scores are encrypted under.</summary>
    public string KeySetId { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The factor the decrypted values are multiplied by to give logits.</summary>
    public double LogitScale { get; }

    /// <summary>The encrypted logits.</summary>
    public Ciphertext Ciphertext { get; }

    /// <summary>Serializes the answer.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(KeySetId);
            writer.Write(ClassCount);
            writer.Write(LogitScale);
            byte[] ciphertext = CkksSerializer.ToBytes(Ciphertext);
            writer.Write(ciphertext.Length);
            writer.Write(ciphertext);
        }

        return IntegrityEnvelope.Seal(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Reads an answer encrypted under <paramref name="keys"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are damaged, tampered with, or belong to another key set.</exception>
    public static EncryptedScores FromBytes(ReadOnlySpan<byte> bytes, HeChunkKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        byte[] payload = IntegrityEnvelope.Open(bytes, "encrypted scores").ToArray();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false));
            if (reader.ReadUInt32() != Magic)
            {
                throw new InvalidDataException("encrypted scores: bad magic number");
            }

            ushort version = reader.ReadUInt16();
            if (version != Version)
            {
                throw new InvalidDataException($"encrypted scores: format version {version}, this library reads version {Version}");
            }

            string id = reader.ReadString();
            if (id != keys.KeySetId)
            {
                throw new InvalidDataException($"encrypted scores: encrypted under key set {id}, but the keys given are key set {keys.KeySetId}");
            }

            int classCount = reader.ReadInt32();
            double logitScale = reader.ReadDouble();
            int length = reader.ReadInt32();
            if (length <= 0 || length != payload.Length - reader.BaseStream.Position)
            {
                throw new InvalidDataException($"encrypted scores: ciphertext length {length} does not match the {payload.Length - reader.BaseStream.Position} bytes left");
            }

            Ciphertext ciphertext = CkksSerializer.ReadCiphertext(reader.ReadBytes(length), keys.Parameters);
            return new EncryptedScores(id, classCount, logitScale, ciphertext);
        }
        catch (Exception e) when (e is EndOfStreamException or CkksFormatException or ArgumentException or FormatException
            or OverflowException or DivideByZeroException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"encrypted scores: {e.Message}", e);
        }
    }
}
