namespace MLNet.HeChunk.Tests.Fuzzing;

/// <summary>
/// Random damage to a byte string, one to three steps at a time: bit flips, byte overwrites, 32-bit little- and
/// big-endian special values (zero, one, -1, 2^31 - 1, huge sizes) where length fields live, truncation, insertion,
/// deletion and appended bytes. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal static class FuzzMutator
{
    private static readonly uint[] Specials = [0, 1, 2, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 60000, 100_000, 1_400_000_000];

    public static byte[] Mutate(byte[] original, Random random, out string description)
    {
        while (true)
        {
            var bytes = new List<byte>(original);
            var steps = new List<string>();
            int count = 1 + random.Next(3);
            for (int i = 0; i < count; i++)
            {
                steps.Add(Step(bytes, random));
            }

            if (!bytes.SequenceEqual(original))
            {
                description = string.Join("; ", steps);
                return [.. bytes];
            }
        }
    }

    private static string Step(List<byte> bytes, Random random)
    {
        // Half of the positions fall in the first 64 bytes, where headers and length fields are.
        int At(int width) => bytes.Count <= width ? 0
            : random.Next(2) == 0 ? random.Next(Math.Min(64, bytes.Count - width)) : random.Next(bytes.Count - width);
        int kind = bytes.Count < 4 ? 6 : random.Next(8);
        switch (kind)
        {
            case 0:
            {
                int p = At(1), bit = random.Next(8);
                bytes[p] ^= (byte)(1 << bit);
                return $"flip bit {bit} at {p}";
            }

            case 1:
            {
                int p = At(1);
                bytes[p] = (byte)random.Next(256);
                return $"set byte {p}";
            }

            case 2:
            case 3:
            {
                int p = At(4);
                uint value = Specials[random.Next(Specials.Length)];
                bool bigEndian = kind == 3;
                for (int i = 0; i < 4; i++)
                {
                    bytes[p + i] = (byte)(value >> (8 * (bigEndian ? 3 - i : i)));
                }

                return $"write {value} ({(bigEndian ? "BE" : "LE")}) at {p}";
            }

            case 4:
            {
                int keep = random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                return $"truncate to {keep}";
            }

            case 5:
            {
                int p = At(1), n = 1 + random.Next(16);
                bytes.RemoveRange(p, Math.Min(n, bytes.Count - p));
                return $"delete {n} at {p}";
            }

            default:
            {
                int p = bytes.Count == 0 ? 0 : At(1), n = 1 + random.Next(16);
                bytes.InsertRange(random.Next(4) == 0 ? bytes.Count : p, Enumerable.Range(0, n).Select(_ => (byte)random.Next(256)));
                return $"insert {n} near {p}";
            }
        }
    }
}
