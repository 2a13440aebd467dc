using System.Buffers.Binary;
using System.Text;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>Reads the flags of one version need from an ELF64 little-endian file's .gnu.version_r section.</summary>
internal static class ElfVersionNeeds
{
    public const ushort WeakFlag = 0x2;

    public static ushort Flags(byte[] elf, string versionName)
    {
        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(0x28));
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3A));
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(0x3C));
        for (int s = 0; s < shnum; s++)
        {
            int sh = (int)(shoff + s * shentsize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(sh + 4)) != 0x6ffffffe)
                continue;
            int sec = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan(sh + 0x18));
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(sh + 0x28));
            int str = (int)BinaryPrimitives.ReadUInt64LittleEndian(elf.AsSpan((int)(shoff + link * shentsize) + 0x18));
            int vn = sec;
            while (true)
            {
                int cnt = BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(vn + 2));
                int aux = vn + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(vn + 8));
                for (int i = 0; i < cnt; i++)
                {
                    int name = str + (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 8));
                    int end = Array.IndexOf(elf, (byte)0, name);
                    if (Encoding.ASCII.GetString(elf, name, end - name) == versionName)
                        return BinaryPrimitives.ReadUInt16LittleEndian(elf.AsSpan(aux + 4));
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(aux + 12));
                }
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(elf.AsSpan(vn + 12));
                if (next == 0)
                    break;
                vn += (int)next;
            }
        }
        throw new InvalidOperationException($"No version need {versionName}.");
    }
}
