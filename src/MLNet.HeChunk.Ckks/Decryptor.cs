using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>Decrypts ciphertexts with the secret key (client side).</summary>
public sealed class Decryptor
{
    private readonly CkksParameters _parameters;
    private readonly SecretKey _secretKey;
    private readonly int _degreeOfParallelism;

    /// <summary>Creates a decryptor for <paramref name="secretKey"/>.</summary>
    public Decryptor(CkksParameters parameters, SecretKey secretKey, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        parameters.EnsureSame(secretKey.Parameters, "the secret key");
        _parameters = parameters;
        _secretKey = secretKey;
        _degreeOfParallelism = degreeOfParallelism;
    }

    /// <summary>Decrypts to a plaintext at the ciphertext's level and scale.</summary>
    public Plaintext Decrypt(Ciphertext ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var plaintext = new Plaintext(_parameters, new RnsPoly(_parameters.N, ciphertext.Level + 1), ciphertext.Scale);
        Decrypt(ciphertext, plaintext);
        return plaintext;
    }

    /// <summary>Decrypts into <paramref name="destination"/>: m = c0 + c1*s (+ c2*s^2 for an unrelinearized product).</summary>
    public void Decrypt(Ciphertext ciphertext, Plaintext destination)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        ArgumentNullException.ThrowIfNull(destination);
        _parameters.EnsureSame(ciphertext.Parameters, "the ciphertext");
        RingContext ring = _parameters.Ring;
        int rows = ciphertext.Level + 1;
        RnsPoly result = destination.Poly.WithRows(rows);
        Parallelism.For(rows, _degreeOfParallelism, j =>
        {
            Modulus m = ring.Moduli[j];
            Span<ulong> r = result.Residue(j);
            ReadOnlySpan<ulong> s = _secretKey.Poly.Residue(j);
            ciphertext.Components[0].Residue(j).CopyTo(r);
            // Horner in s: ((c_(k) * s + c_(k-1)) * s ...) + c_0.
            if (ciphertext.Size == 2)
            {
                PolyArithmetic.MulAdd(ciphertext.Components[1].Residue(j), s, r, m);
            }
            else
            {
                ReadOnlySpan<ulong> c1 = ciphertext.Components[1].Residue(j);
                ReadOnlySpan<ulong> c2 = ciphertext.Components[2].Residue(j);
                for (int i = 0; i < r.Length; i++)
                {
                    ulong inner = m.Add(m.Mul(c2[i], s[i]), c1[i]);
                    r[i] = m.Add(r[i], m.Mul(inner, s[i]));
                }
            }
        });
        destination.Poly = result;
        destination.Scale = ciphertext.Scale;
    }

    /// <summary>
    /// Whether <paramref name="publicKey"/> was made from this decryptor's secret key: b + a*s must be the small
    /// error the key generator added (at most 6 sigma per coefficient), where another key gives uniform noise.
    /// </summary>
    public bool Matches(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Parameters.Fingerprint != _parameters.Fingerprint)
        {
            return false;
        }

        RingContext ring = _parameters.Ring;
        Modulus m = ring.Moduli[0];
        var row = new ulong[ring.Degree];
        ReadOnlySpan<ulong> b = publicKey.B.Residue(0);
        ReadOnlySpan<ulong> a = publicKey.A.Residue(0);
        ReadOnlySpan<ulong> s = _secretKey.Poly.Residue(0);
        for (int i = 0; i < row.Length; i++)
        {
            row[i] = m.Add(b[i], m.Mul(a[i], s[i]));
        }

        Ntt.Inverse(row, ring.Tables[0]);
        foreach (ulong v in row)
        {
            ulong magnitude = v > m.Value / 2 ? m.Value - v : v;
            if (magnitude > SecretSampler.MaxDeviation)
            {
                return false;
            }
        }

        return true;
    }
}
