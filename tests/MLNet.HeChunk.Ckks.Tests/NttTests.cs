using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Ckks.Tests;

public class NttTests
{
    [Theory]
    [InlineData(8, 17)]
    [InlineData(64, 30)]
    [InlineData(1024, 50)]
    [InlineData(2048, 61)]
    [InlineData(4096, 44)]
    [InlineData(8192, 49)]
    [InlineData(1024, 26)]
    public void ProductThroughNttEqualsNaiveNegacyclicConvolution(int n, int bits)
    {
        ulong q = PrimeGenerator.Generate(n, [bits])[0];
        var modulus = new Modulus(q);
        var tables = new NttTables(modulus, n);
        var random = new Random(n * 31 + bits);
        ulong[] a = RandomPoly(random, n, q);
        ulong[] b = RandomPoly(random, n, q);

        ulong[] expected = NaiveNegacyclic(a, b, modulus);

        ulong[] fa = (ulong[])a.Clone();
        ulong[] fb = (ulong[])b.Clone();
        Ntt.Forward(fa, tables);
        Ntt.Forward(fb, tables);
        var product = new ulong[n];
        PolyArithmetic.Mul(fa, fb, product, modulus);
        Ntt.Inverse(product, tables);
        Assert.Equal(expected, product);
    }

    [Fact]
    public void ForwardOutputIsEvaluationAtOddPowersOfPsiInBitReversedOrder()
    {
        const int n = 16;
        ulong q = PrimeGenerator.Generate(n, [20])[0];
        var modulus = new Modulus(q);
        var tables = new NttTables(modulus, n);
        ulong[] a = RandomPoly(new Random(5), n, q);
        ulong[] transformed = (ulong[])a.Clone();
        Ntt.Forward(transformed, tables);
        for (int k = 0; k < n; k++)
        {
            ulong point = modulus.Pow(tables.Psi, (ulong)(2 * NttTables.BitReverse(k, 4) + 1));
            ulong value = 0;
            for (int i = n - 1; i >= 0; i--)
            {
                value = modulus.Add(modulus.Mul(value, point), a[i]);
            }

            Assert.Equal(value, transformed[k]);
        }
    }

    [Fact]
    public void InverseUndoesForwardOnExtremeValues()
    {
        const int n = 256;
        ulong q = PrimeGenerator.Generate(n, [61])[0];
        var tables = new NttTables(new Modulus(q), n);
        var a = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? q - 1 : 0UL).ToArray();
        var b = (ulong[])a.Clone();
        Ntt.Forward(b, tables);
        Assert.All(b, v => Assert.True(v < q));
        Ntt.Inverse(b, tables);
        Assert.Equal(a, b);
    }

    [Fact]
    public void GaloisPermutationMatchesCoefficientAutomorphism()
    {
        var parameters = CkksParameters.Create(CkksPresets.InsecureN1024);
        var ring = parameters.Ring;
        int n = ring.Degree;
        var modulus = ring.Moduli[0];
        ulong q = modulus.Value;
        ulong[] a = RandomPoly(new Random(9), n, q);
        foreach (ulong g in new ulong[] { 5, 25, (ulong)(2 * n - 1), ring.GaloisElementForRotation(-3) })
        {
            // X^i -> X^(i*g mod 2N), with a sign flip when the exponent wraps past N.
            var expected = new ulong[n];
            for (int i = 0; i < n; i++)
            {
                ulong e = (ulong)i * g % (ulong)(2 * n);
                if (e < (ulong)n)
                {
                    expected[e] = a[i];
                }
                else
                {
                    expected[e - (ulong)n] = modulus.Negate(a[i]);
                }
            }

            ulong[] transformed = (ulong[])a.Clone();
            Ntt.Forward(transformed, ring.Tables[0]);
            var permuted = new ulong[n];
            PolyArithmetic.Permute(transformed, ring.GaloisPermutation(g), permuted);
            Ntt.Inverse(permuted, ring.Tables[0]);
            Assert.Equal(expected, permuted);
        }
    }

    [Fact]
    public void BarrettReductionMatchesBigIntegerOnRandomProducts()
    {
        var random = new Random(3);
        foreach (int bits in new[] { 20, 31, 44, 50, 60, 61 })
        {
            ulong q = PrimeGenerator.Generate(1024, [bits])[0];
            var modulus = new Modulus(q);
            for (int i = 0; i < 20000; i++)
            {
                ulong a = (ulong)random.NextInt64() % q;
                ulong b = i < 10 ? q - 1 : (ulong)random.NextInt64() % q;
                Assert.Equal((ulong)((UInt128)a * b % q), modulus.Mul(a, b));
                ulong x = (ulong)random.NextInt64() * 2 + (ulong)(i & 1);
                Assert.Equal(x % q, modulus.Reduce(x));
            }
        }
    }

    [Fact]
    public void GeneratedPrimesAreNttFriendlyDistinctAndDeterministic()
    {
        ulong[] first = PrimeGenerator.Generate(8192, [31, 26, 26, 26, 31]);
        ulong[] second = PrimeGenerator.Generate(8192, [31, 26, 26, 26, 31]);
        Assert.Equal(first, second);
        Assert.Equal(first.Length, first.Distinct().Count());
        foreach (ulong p in first)
        {
            Assert.True(PrimeGenerator.IsPrime(p));
            Assert.Equal(1UL, p % 16384);
        }

        Assert.Equal(31, CkksParameters.BitLength(first[0]));
        Assert.Equal(26, CkksParameters.BitLength(first[1]));
    }

    private static ulong[] RandomPoly(Random random, int n, ulong q)
        => Enumerable.Range(0, n).Select(_ => (ulong)random.NextInt64() % q).ToArray();

    private static ulong[] NaiveNegacyclic(ulong[] a, ulong[] b, Modulus m)
    {
        int n = a.Length;
        var result = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                ulong p = m.Mul(a[i], b[j]);
                int k = i + j;
                result[k % n] = k < n ? m.Add(result[k], p) : m.Sub(result[k - n], p);
            }
        }

        return result;
    }
}
