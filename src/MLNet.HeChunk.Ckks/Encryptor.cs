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
            // (c0, c1) = (u*b + e0 + m, u*a + e1) with a ternary mask u.
            PublicKey pk = _publicKey!;
            var mask = new sbyte[ring.Degree];
            SecretSampler.Ternary(mask);
            var u = new RnsPoly(ring.Degree, rows);
            SecretSampler.Lift(mask, u, ring.Moduli);
            Array.Clear(mask);
            ring.ForwardNtt(u, _degreeOfParallelism);
            SampleErrorNtt(c0);
            SampleErrorNtt(c1);
            Parallelism.For(rows, _degreeOfParallelism, j =>
            {
                Modulus m = ring.Moduli[j];
                Span<ulong> r0 = c0.Residue(j);
                Span<ulong> r1 = c1.Residue(j);
                ReadOnlySpan<ulong> uj = u.Residue(j);
                ReadOnlySpan<ulong> b = pk.B.Residue(j);
                ReadOnlySpan<ulong> a = pk.A.Residue(j);
                ReadOnlySpan<ulong> msg = plaintext.Poly.Residue(j);
                for (int i = 0; i < r0.Length; i++)
                {
                    r0[i] = m.Add(m.Add(r0[i], m.Mul(uj[i], b[i])), msg[i]);
                    r1[i] = m.Add(r1[i], m.Mul(uj[i], a[i]));
                }
            });
            Array.Clear(u.Coefficients);
            destination.Seed = null;
        }

        destination.Components = [c0, c1];
        destination.Scale = plaintext.Scale;
    }

    private void SampleErrorNtt(RnsPoly destination)
    {
        RingContext ring = _parameters.Ring;
        var values = new long[ring.Degree];
        SecretSampler.Gaussian(values);
        SecretSampler.Lift(values, destination, ring.Moduli);
        Array.Clear(values);
        ring.ForwardNtt(destination, _degreeOfParallelism);
    }
}
