using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks;

/// <summary>
/// Encrypts plaintexts, either with the public key (anyone may encrypt) or with the secret key on the client
/// (symmetric, seeded: the second component is expanded from a 32-byte seed, so the ciphertext travels at half size).
/// </summary>
public sealed class Encryptor
{
    internal const uint SymmetricDomain = 0x534B0000u;

    private readonly CkksParameters _parameters;
    private readonly PublicKey? _publicKey;
    private readonly SecretKey? _secretKey;
    private readonly int _degreeOfParallelism;

    /// <summary>A public-key encryptor.</summary>
    public Encryptor(CkksParameters parameters, PublicKey publicKey, int degreeOfParallelism = 1)
        : this(parameters, degreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        parameters.EnsureSame(publicKey.Parameters, "the public key");
        _publicKey = publicKey;
    }

    /// <summary>A secret-key (symmetric, seeded) encryptor, for the client that holds the secret key.</summary>
    public Encryptor(CkksParameters parameters, SecretKey secretKey, int degreeOfParallelism = 1)
        : this(parameters, degreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
        parameters.EnsureSame(secretKey.Parameters, "the secret key");
        _secretKey = secretKey;
    }

    private Encryptor(CkksParameters parameters, int degreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        _parameters = parameters;
        _degreeOfParallelism = degreeOfParallelism;
    }

    /// <summary>Whether this encryptor uses the secret key (seeded symmetric encryption).</summary>
    public bool IsSymmetric => _secretKey is not null;

    /// <summary>Encrypts <paramref name="plaintext"/> at its level and scale.</summary>
    public Ciphertext Encrypt(Plaintext plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var ciphertext = Ciphertext.Allocate(_parameters, 2, plaintext.Level, plaintext.Scale);
        Encrypt(plaintext, ciphertext);
        return ciphertext;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/>, reusing its storage.</summary>
    public void Encrypt(Plaintext plaintext, Ciphertext destination)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        ArgumentNullException.ThrowIfNull(destination);
        _parameters.EnsureSame(plaintext.Parameters, "the plaintext");
        _parameters.EnsureSame(destination.Parameters, "the destination ciphertext");
        RingContext ring = _parameters.Ring;
        int rows = plaintext.Level + 1;
        RnsPoly c0 = destination.Components[0].WithRows(rows);
        RnsPoly c1 = destination.Components[1].WithRows(rows);
        if (_secretKey is not null)
        {
            // (c0, c1) = (-a*s + e + m, a), a expanded from a fresh public seed.
            byte[] seed = UniformSampler.NewSeed();
            UniformSampler.Expand(seed, SymmetricDomain, c1, ring.Moduli);
            SampleErrorNtt(c0);
            Parallelism.For(rows, _degreeOfParallelism, j =>
            {
                Modulus m = ring.Moduli[j];
                Span<ulong> r0 = c0.Residue(j);
                ReadOnlySpan<ulong> a = c1.Residue(j);
                ReadOnlySpan<ulong> s = _secretKey.Poly.Residue(j);
                ReadOnlySpan<ulong> msg = plaintext.Poly.Residue(j);
                for (int i = 0; i < r0.Length; i++)
                {
                    r0[i] = m.Add(m.Sub(r0[i], m.Mul(a[i], s[i])), msg[i]);
                }
            });
            destination.Seed = seed;
        }
        else
        {
            EncryptPublic(plaintext, c0, c1);
            destination.Seed = null;
        }

        destination.Components = [c0, c1];
        destination.Scale = plaintext.Scale;
    }

    /// <summary>
    /// (c0, c1) = ((u*b + e0) / P + m, (u*a + e1) / P) with a ternary mask u, computed over Q_level and the special
    /// primes and then divided by P with rounding (as Microsoft SEAL does): the division shrinks the encryption noise
    /// (about sigma*sqrt(2N/3) per coefficient) to the rounding error, about sqrt(N/18): an estimated four bits of
    /// precision for fresh ciphertexts (measured with the division: about 18 bits at scale 2^28, see EvaluatorTests).
    /// </summary>
    private void EncryptPublic(Plaintext plaintext, RnsPoly c0, RnsPoly c1)
    {
        RingContext ring = _parameters.Ring;
        PublicKey pk = _publicKey!;
        int level = plaintext.Level;
        int n = ring.Degree;
        int rows = level + 1 + ring.PCount;
        (Modulus[] moduli, NttTables[] tables) = ring.ExtendedBasis(level);
        var mask = new sbyte[n];
        SecretSampler.Ternary(mask);
        RnsPoly u = RnsPoly.Rent(n, rows);
        SecretSampler.Lift(mask, u, moduli);
        Array.Clear(mask);
        long[] error0 = System.Buffers.ArrayPool<long>.Shared.Rent(n);
        long[] error1 = System.Buffers.ArrayPool<long>.Shared.Rent(n);
        SecretSampler.Gaussian(error0.AsSpan(0, n));
        SecretSampler.Gaussian(error1.AsSpan(0, n));
        RnsPoly wide0 = RnsPoly.Rent(n, rows);
        RnsPoly wide1 = RnsPoly.Rent(n, rows);
        Parallelism.For(rows, _degreeOfParallelism, r =>
        {
            Ntt.Forward(u.Residue(r), tables[r]);
            int keyRow = ring.ModulusOfExtendedRow(r, level);
            PolyArithmetic.Mul(u.Residue(r), pk.B.Residue(keyRow), wide0.Residue(r), moduli[r]);
            PolyArithmetic.Mul(u.Residue(r), pk.A.Residue(keyRow), wide1.Residue(r), moduli[r]);
        });
        Array.Clear(u.Coefficients);
        u.ReturnToPool();

        // (u*pk + e) / P with rounding. The errors enter in the coefficient domain: on the special rows after their
        // inverse NTT, on the Q rows inside the division's own forward NTT, so they cost no transform of their own
        // (the same values as transforming e on every row first).
        RnsPoly special0 = RnsPoly.Rent(n, ring.PCount);
        RnsPoly special1 = RnsPoly.Rent(n, ring.PCount);
        Parallelism.For(2 * ring.PCount, _degreeOfParallelism, index =>
        {
            int k = index >> 1;
            bool second = (index & 1) != 0;
            RnsPoly special = second ? special1 : special0;
            Span<ulong> row = special.Residue(k);
            (second ? wide1 : wide0).Residue(level + 1 + k).CopyTo(row);
            Ntt.Inverse(row, tables[level + 1 + k]);
            long[] error = second ? error1 : error0;
            ulong p = moduli[level + 1 + k].Value;
            for (int i = 0; i < n; i++)
            {
                // e is small: e mod p = e + p for negative e; the sum needs one conditional subtraction.
                ulong e = (ulong)error[i] + (p & (ulong)(error[i] >> 63));
                ulong s = row[i] + e;
                row[i] = s >= p ? s - p : s;
            }
        });
        ring.Conversions.PrepareSpecialRows(special0);
        ring.Conversions.PrepareSpecialRows(special1);
        Parallelism.For(level + 1, _degreeOfParallelism, j =>
        {
            ulong[] scratch = System.Buffers.ArrayPool<ulong>.Shared.Rent(n);
            Span<ulong> s = scratch.AsSpan(0, n);
            ring.Conversions.DivideRowBySpecialProduct(wide0.Residue(j), special0, j, tables[j], s, c0.Residue(j), error0.AsSpan(0, n));
            ring.Conversions.DivideRowBySpecialProduct(wide1.Residue(j), special1, j, tables[j], s, c1.Residue(j), error1.AsSpan(0, n));
            System.Buffers.ArrayPool<ulong>.Shared.Return(scratch);
            PolyArithmetic.Add(c0.Residue(j), plaintext.Poly.Residue(j), c0.Residue(j), ring.Moduli[j].Value);
        });
        Array.Clear(error0, 0, n);
        Array.Clear(error1, 0, n);
        System.Buffers.ArrayPool<long>.Shared.Return(error0);
        System.Buffers.ArrayPool<long>.Shared.Return(error1);
        special0.ReturnToPool();
        special1.ReturnToPool();
        wide0.ReturnToPool();
        wide1.ReturnToPool();
    }

    private void SampleErrorNtt(RnsPoly destination)
    {
        RingContext ring = _parameters.Ring;
        SecretSampler.GaussianPoly(destination, ring.Moduli);
        ring.ForwardNtt(destination, _degreeOfParallelism);
    }
}
