using System.Security.Cryptography;
using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks.Serialization;

/// <summary>
/// The secret key's payload: its N ternary coefficients at 2 bits each (N/4 bytes, against 8 bytes per residue per
/// prime for the NTT form). The coefficients are recovered from the first row alone, since a ternary s is the same
/// small integers modulo every prime; on import they are lifted back to every Q and P row and transformed, exactly as
/// <see cref="KeyGenerator.GenerateSecretKey"/> builds a key. Temporary copies of the key are overwritten after use.
/// </summary>
internal static class SecretKeyCodec
{
    /// <summary>Bits per coefficient; code 0 is 0, 1 is 1, 2 is -1, and 3 is never written.</summary>
    private const int CodeBits = 2;

    public static long Length(CkksParameters parameters) => BitPacker.PackedLength(parameters.N, CodeBits);

    public static void Write(FormatWriter writer, SecretKey key)
    {
        RingContext ring = key.Parameters.Ring;
        ulong q = ring.Moduli[0].Value;
        ulong[] row = key.Poly.Residue(0).ToArray();
        byte[] packed = new byte[Length(key.Parameters)];
        try
        {
            Ntt.Inverse(row, ring.Tables[0]);
            // Branch-free mapping, so the time taken does not depend on the secret: for c < 2^63, ((x - 1) >> 63) is 1
            // exactly when x = 0.
            ulong invalid = 0;
            for (int i = 0; i < row.Length; i++)
            {
                ulong c = row[i];
                ulong isZero = (c - 1) >> 63;
                ulong isOne = ((c ^ 1) - 1) >> 63;
                ulong isMinusOne = ((c ^ (q - 1)) - 1) >> 63;
                invalid |= 1 ^ (isZero | isOne | isMinusOne);
                row[i] = isOne | (isMinusOne << 1);
            }

            if (invalid != 0)
            {
                throw new InvalidOperationException("the secret key's coefficients are not all in {-1, 0, 1}; it cannot be exported in the ternary format");
            }

            BitPacker.Pack(row, CodeBits, 3, packed);
            writer.WriteBytes(packed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()));
            CryptographicOperations.ZeroMemory(packed);
        }
    }

    public static SecretKey Read(FormatReader reader, FormatHeader header, CkksParameters parameters)
    {
        RingContext ring = parameters.Ring;
        int n = parameters.N;
        header.CheckPayloadLength(Length(parameters));
        byte[] packed = new byte[Length(parameters)];
        ulong[] codes = new ulong[n];
        sbyte[] coefficients = new sbyte[n];
        try
        {
            reader.ReadExactly(packed, "the secret key's coefficients");
            int bad = BitPacker.Unpack(packed, CodeBits, 3, codes);
            if (bad >= 0)
            {
                throw new CkksFormatException($"secret key coefficient {bad} has the unused code 3 (codes are 0, 1 and 2 for -1)");
            }

            for (int i = 0; i < n; i++)
            {
                // 0 -> 0, 1 -> 1, 2 -> 2 - 3 = -1, without a branch on the secret.
                int code = (int)codes[i];
                coefficients[i] = (sbyte)(code - 3 * (code >> 1));
            }

            var poly = new RnsPoly(n, ring.Moduli.Length);
            SecretSampler.Lift(coefficients, poly, ring.Moduli);
            ring.ForwardNtt(poly, 1);
            return new SecretKey(parameters, poly);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(packed);
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(codes.AsSpan()));
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(coefficients.AsSpan()));
        }
    }
}
