using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// Byte layout of an <see cref="EncryptedChunkGroup"/> (little-endian), version 3:
/// <code>
/// u32 magic "HCG1" | u16 version | u8 mode | string keySetId | u64 parameter fingerprint
/// i32 imageHeight, imageWidth, chunkHeight, chunkWidth | u8 padding
/// i32 kernel, stride, channels
/// i32 chunkCount | i32[chunkCount] signed index
/// i32 encryptedCount | i32[encryptedCount] encrypted chunk numbers (ascending)
/// i32 plainCount | plainCount x (i32 chunk number | f32[chunkHeight*chunkWidth] pixels)
/// i32 ciphertextCount | ciphertextCount x (i32 length | CKKS ciphertext, see docs/serialization.md)
/// u8 descriptors present (0 or 1) | if 1: i32 length | CKKS ciphertext of the texture descriptors
/// 32 bytes SHA-256 of everything before it
/// </code>
/// Version 3 has the layout of version 2; its chunk ciphertexts hold each convolution input once, two to a complex slot
/// (<see cref="PlaneLayout"/>). Versions 1 and 2 repeated every pixel for each filter (49 ciphertexts per image) and are
/// refused with a message that says so: no scorer of this release reads that packing.
/// <code>
/// </code>
/// Reading checks the digest first, then every count against the geometry before allocating, then the mode's
/// consistency rules; any failure is an <see cref="InvalidDataException"/> naming the problem.
/// </summary>
public static class EncryptedChunkGroupFormat
{
    private const uint Magic = 0x31474348; // "HCG1"
    private const ushort Version = 3;
    private const int MaxChunks = 1 << 16;
    private const int MaxChunkPixels = 1 << 20;
    private const int MaxCiphertexts = 1 << 12;

    internal static byte[] Write(EncryptedChunkGroup group)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write((byte)group.Mode);
            writer.Write(group.KeySetId);
            writer.Write((group.Ciphertexts.Count > 0 ? group.Ciphertexts[0] : group.DescriptorCiphertext)?.Parameters.Fingerprint ?? 0UL);
            ChunkGrid grid = group.Grid;
            writer.Write(grid.ImageHeight);
            writer.Write(grid.ImageWidth);
            writer.Write(grid.ChunkHeight);
            writer.Write(grid.ChunkWidth);
            writer.Write((byte)grid.Padding);
            writer.Write(group.Packing.KernelSize);
            writer.Write(group.Packing.Stride);
            writer.Write(group.Packing.Channels);
            writer.Write(group.ChunkIndex.Count);
            foreach (int i in group.ChunkIndex)
            {
                writer.Write(i);
            }

            writer.Write(group.EncryptedChunks.Count);
            foreach (int c in group.EncryptedChunks)
            {
                writer.Write(c);
            }

            writer.Write(group.PlainChunks.Count);
            foreach ((int chunk, float[] pixels) in group.PlainChunks.OrderBy(p => p.Key))
            {
                writer.Write(chunk);
                foreach (float p in pixels)
                {
                    writer.Write(p);
                }
            }

            writer.Write(group.Ciphertexts.Count);
            foreach (Ciphertext ciphertext in group.Ciphertexts)
            {
                byte[] bytes = CkksSerializer.ToBytes(ciphertext);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }

            writer.Write(group.DescriptorCiphertext is null ? (byte)0 : (byte)1);
            if (group.DescriptorCiphertext is not null)
            {
                byte[] bytes = CkksSerializer.ToBytes(group.DescriptorCiphertext);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }

        return IntegrityEnvelope.Seal(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    internal static EncryptedChunkGroup Read(ReadOnlySpan<byte> bytes, HeChunkKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        byte[] payload = IntegrityEnvelope.Open(bytes, "encrypted chunk group").ToArray();
        try
        {
            return Parse(payload, keys);
        }
        catch (Exception e) when (e is EndOfStreamException or CkksFormatException or ArgumentException or FormatException
            or OverflowException or DivideByZeroException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"encrypted chunk group: {e.Message}", e);
        }
    }

    private static EncryptedChunkGroup Parse(byte[] payload, HeChunkKeys keys)
    {
        using var stream = new MemoryStream(payload, writable: false);
        using var reader = new BinaryReader(stream);
        if (reader.ReadUInt32() != Magic)
        {
            throw new InvalidDataException("encrypted chunk group: bad magic number (not an MLNet.HeChunk chunk group)");
        }

        ushort version = reader.ReadUInt16();
        if (version is 1 or 2)
        {
            throw new InvalidDataException(
                $"encrypted chunk group: format version {version} holds the earlier plane packing (every pixel repeated for each filter), which this " +
                $"library no longer scores; encrypt the image again with this release (format version {Version})");
        }

        if (version != Version)
        {
            throw new InvalidDataException($"encrypted chunk group: format version {version}, this library reads version {Version}");
        }

        byte modeByte = reader.ReadByte();
        if (!Enum.IsDefined(typeof(EncryptionMode), (int)modeByte))
        {
            throw new InvalidDataException($"encrypted chunk group: unknown encryption mode {modeByte}");
        }

        var mode = (EncryptionMode)modeByte;
        string keySetId = reader.ReadString();
        if (keySetId != keys.KeySetId)
        {
            throw new InvalidDataException($"encrypted chunk group: encrypted under key set {keySetId}, but the keys given are key set {keys.KeySetId}");
        }

        ulong fingerprint = reader.ReadUInt64();
        var grid = new ChunkGrid(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), (ChunkPadding)reader.ReadByte());
        var packing = new ChunkPacking(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
        int chunkCount = ReadCount(reader, MaxChunks, "chunk count");
        if (chunkCount != grid.ChunkCount)
        {
            throw new InvalidDataException($"encrypted chunk group: {chunkCount} chunk indices for a grid of {grid.ChunkCount} chunks");
        }

        if (4L * chunkCount > stream.Length - stream.Position)
        {
            throw new InvalidDataException($"encrypted chunk group: {chunkCount} chunk indices need more than the {stream.Length - stream.Position} bytes left");
        }

        var index = new int[chunkCount];
        for (int i = 0; i < chunkCount; i++)
        {
            index[i] = reader.ReadInt32();
            if (Math.Abs((long)index[i]) != i + 1)
            {
                throw new InvalidDataException($"encrypted chunk group: chunk index {i} is {index[i]}, expected +{i + 1} or -{i + 1}");
            }
        }

        int encryptedCount = ReadCount(reader, chunkCount, "encrypted chunk count");
        var encrypted = new int[encryptedCount];
        for (int i = 0; i < encryptedCount; i++)
        {
            encrypted[i] = reader.ReadInt32();
            if (encrypted[i] < 0 || encrypted[i] >= chunkCount || (i > 0 && encrypted[i] <= encrypted[i - 1]))
            {
                throw new InvalidDataException($"encrypted chunk group: encrypted chunk numbers must ascend within [0, {chunkCount}); found {encrypted[i]}");
            }
        }

        int plainCount = ReadCount(reader, chunkCount, "plain chunk count");
        int chunkPixels = grid.ChunkLength;
        if (chunkPixels > MaxChunkPixels)
        {
            throw new InvalidDataException($"encrypted chunk group: chunks of {chunkPixels} pixels exceed the {MaxChunkPixels} limit");
        }

        long remaining = stream.Length - stream.Position;
        if (plainCount * (4L + 4L * chunkPixels) > remaining)
        {
            throw new InvalidDataException($"encrypted chunk group: {plainCount} plain chunks of {chunkPixels} pixels need more than the {remaining} bytes left");
        }

        var plain = new Dictionary<int, float[]>();
        for (int i = 0; i < plainCount; i++)
        {
            int chunk = reader.ReadInt32();
            if (chunk < 0 || chunk >= chunkCount || plain.ContainsKey(chunk) || Array.BinarySearch(encrypted, chunk) >= 0)
            {
                throw new InvalidDataException($"encrypted chunk group: plain chunk number {chunk} is out of range, repeated or also encrypted");
            }

            var pixels = new float[chunkPixels];
            for (int p = 0; p < pixels.Length; p++)
            {
                pixels[p] = reader.ReadSingle();
                if (!float.IsFinite(pixels[p]))
                {
                    throw new InvalidDataException($"encrypted chunk group: plain chunk {chunk} has a non-finite pixel");
                }
            }

            plain[chunk] = pixels;
        }

        int ciphertextCount = ReadCount(reader, MaxCiphertexts, "ciphertext count");
        if (ciphertextCount > 0 && fingerprint != keys.Parameters.Fingerprint)
        {
            throw new InvalidDataException(
                $"encrypted chunk group: encrypted with CKKS parameters {fingerprint:x16}, the keys use {keys.Parameters.Fingerprint:x16}");
        }

        var ciphertexts = new Ciphertext[ciphertextCount];
        for (int i = 0; i < ciphertextCount; i++)
        {
            int length = reader.ReadInt32();
            if (length <= 0 || length > stream.Length - stream.Position)
            {
                throw new InvalidDataException($"encrypted chunk group: ciphertext {i} claims {length} bytes, {stream.Length - stream.Position} remain");
            }

            ciphertexts[i] = CkksSerializer.ReadCiphertext(reader.ReadBytes(length), keys.Parameters);
            if (ciphertexts[i].Size != 2 || ciphertexts[i].Level != ciphertexts[0].Level)
            {
                throw new InvalidDataException($"encrypted chunk group: ciphertext {i} has {ciphertexts[i].Size} components at level {ciphertexts[i].Level}; all must be fresh two-component ciphertexts at one level");
            }
        }

        Ciphertext? descriptors = ReadDescriptors(reader, stream, keys, fingerprint);
        if (stream.Position != stream.Length)
        {
            throw new InvalidDataException($"encrypted chunk group: {stream.Length - stream.Position} unexpected bytes after the last ciphertext");
        }

        CheckMode(mode, grid, packing, index, encrypted, plain, ciphertextCount, keys.Parameters.SlotCount);
        return new EncryptedChunkGroup(mode, keySetId, grid, packing, index, encrypted, plain, ciphertexts, descriptors);
    }

    private static Ciphertext? ReadDescriptors(BinaryReader reader, Stream stream, HeChunkKeys keys, ulong fingerprint)
    {
        byte present = reader.ReadByte();
        if (present == 0)
        {
            return null;
        }

        if (present != 1)
        {
            throw new InvalidDataException($"encrypted chunk group: descriptor flag {present} is neither 0 nor 1");
        }

        if (fingerprint != keys.Parameters.Fingerprint)
        {
            throw new InvalidDataException(
                $"encrypted chunk group: encrypted with CKKS parameters {fingerprint:x16}, the keys use {keys.Parameters.Fingerprint:x16}");
        }

        int length = reader.ReadInt32();
        if (length <= 0 || length > stream.Length - stream.Position)
        {
            throw new InvalidDataException($"encrypted chunk group: the descriptor ciphertext claims {length} bytes, {stream.Length - stream.Position} remain");
        }

        Ciphertext ciphertext = CkksSerializer.ReadCiphertext(reader.ReadBytes(length), keys.Parameters);
        if (ciphertext.Size != 2)
        {
            throw new InvalidDataException($"encrypted chunk group: the descriptor ciphertext has {ciphertext.Size} components; a fresh ciphertext has 2");
        }

        return ciphertext;
    }

    private static void CheckMode(EncryptionMode mode, ChunkGrid grid, ChunkPacking packing, int[] index, int[] encrypted,
        Dictionary<int, float[]> plain, int ciphertextCount, int slots)
    {
        int expectedCiphertexts;
        switch (mode)
        {
            case EncryptionMode.WholeImage:
                if (encrypted.Length != 0 || plain.Count != 0)
                {
                    throw new InvalidDataException("encrypted chunk group: a whole-image group carries no chunk lists");
                }

                expectedCiphertexts = (grid.ImageLength + slots - 1) / slots;
                break;
            case EncryptionMode.AllChunks:
            case EncryptionMode.FeatureChunks:
                var expected = Enumerable.Range(0, index.Length)
                    .Where(c => mode == EncryptionMode.AllChunks || index[c] > 0)
                    .ToArray();
                if (!expected.SequenceEqual(encrypted) || encrypted.Length + plain.Count != index.Length)
                {
                    throw new InvalidDataException(
                        $"encrypted chunk group: in {mode} mode chunks [{string.Join(",", expected)}] must be encrypted and the rest plain; " +
                        $"found encrypted [{string.Join(",", encrypted)}] and {plain.Count} plain");
                }

                expectedCiphertexts = grid.ChunkHeight == grid.ChunkWidth
                    ? new PlaneLayout(packing, grid.ChunkHeight, slots, encrypted.Length).CiphertextCount
                    : throw new InvalidDataException($"encrypted chunk group: chunk packing needs square chunks, found {grid.ChunkHeight} x {grid.ChunkWidth}");
                break;
            default:
                throw new InvalidDataException($"encrypted chunk group: unknown mode {mode}");
        }

        if (ciphertextCount != expectedCiphertexts)
        {
            throw new InvalidDataException($"encrypted chunk group: {ciphertextCount} ciphertexts where the layout needs {expectedCiphertexts}");
        }
    }

    private static int ReadCount(BinaryReader reader, int max, string what)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > max)
        {
            throw new InvalidDataException($"encrypted chunk group: {what} {count} is outside [0, {max}]");
        }

        return count;
    }
}
