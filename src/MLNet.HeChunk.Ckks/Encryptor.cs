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
        int rows = level + 1 + ring.PCount;
        (Modulus[] moduli, NttTables[] tables) = ring.ExtendedBasis(level);
        var mask = new sbyte[ring.Degree];
        SecretSampler.Ternary(mask);
        RnsPoly u = RnsPoly.Rent(ring.Degree, rows);
        SecretSampler.Lift(mask, u, moduli);
        Array.Clear(mask);
        RnsPoly wide0 = RnsPoly.Rent(ring.Degree, rows);
        RnsPoly wide1 = RnsPoly.Rent(ring.Degree, rows);
        SecretSampler.GaussianPoly(wide0, moduli);
        SecretSampler.GaussianPoly(wide1, moduli);
        Parallelism.For(rows, _degreeOfParallelism, r =>
        {
            Ntt.Forward(u.Residue(r), tables[r]);
            Ntt.Forward(wide0.Residue(r), tables[r]);
            Ntt.Forward(wide1.Residue(r), tables[r]);
            int keyRow = ring.ModulusOfExtendedRow(r, level);
            PolyArithmetic.MulAdd(u.Residue(r), pk.B.Residue(keyRow), wide0.Residue(r), moduli[r]);
            PolyArithmetic.MulAdd(u.Residue(r), pk.A.Residue(keyRow), wide1.Residue(r), moduli[r]);
        });
        Array.Clear(u.Coefficients);
        u.ReturnToPool();
        ring.DivideBySpecialPrimes(wide0, level, c0, _degreeOfParallelism);
        ring.DivideBySpecialPrimes(wide1, level, c1, _degreeOfParallelism);
        wide0.ReturnToPool();
        wide1.ReturnToPool();
        Parallelism.For(level + 1, _degreeOfParallelism, j =>
            PolyArithmetic.Add(c0.Residue(j), plaintext.Poly.Residue(j), c0.Residue(j), ring.Moduli[j].Value));
    }

    private void SampleErrorNtt(RnsPoly destination)
    {
        RingContext ring = _parameters.Ring;
        SecretSampler.GaussianPoly(destination, ring.Moduli);
        ring.ForwardNtt(destination, _degreeOfParallelism);
    }
}
