using System.Numerics;
using MLNet.HeChunk.Ckks.Ring;
using MLNet.HeChunk.Ckks.Rlwe;

namespace MLNet.HeChunk.Ckks.Tests;

/// <summary>
/// The fast kernels (AVX-512 paths, fused key switching, split-array FFT) against the plain code they replace or a
/// big-integer reference, bit for bit, on random inputs. On a machine without AVX-512 both sides run scalar code and
/// the tests still check the fused and reference algorithms against each other.
/// </summary>
public class KernelEquivalenceTests
{
    private static ulong[] RandomRow(Random random, int n, ulong q)
    {
        var row = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            row[i] = (ulong)random.NextInt64((long)q);
        }

        // Extreme values where a lazy bound would first break.
        row[0] = 0;
        row[1] = q - 1;
        row[2] = q >> 1;
        row[3] = (q >> 1) + 1;
        return row;
    }

    private static RnsPoly RandomPoly(Random random, RingContext ring, int rows)
    {
        var poly = new RnsPoly(ring.Degree, rows);
        for (int r = 0; r < rows; r++)
        {
            RandomRow(random, ring.Degree, ring.Moduli[r].Value).CopyTo(poly.Residue(r));
        }

        return poly;
    }

    public static TheoryData<string> Presets => new() { "N8192Depth3", "N16384Depth7", "N8192ChunkCnn", "InsecureN1024", "N8192Precision" };

    private static CkksParameters Create(string name) => CkksParameters.Create(name switch
    {
        "N8192Depth3" => CkksPresets.N8192Depth3,
        "N16384Depth7" => CkksPresets.N16384Depth7,
        "N8192ChunkCnn" => CkksPresets.N8192ChunkCnn,
        "InsecureN1024" => CkksPresets.InsecureN1024,
        "N8192Precision" => CkksPresets.N8192Precision,
        _ => throw new ArgumentException(name),
    });

    [Theory]
    [MemberData(nameof(Presets))]
    public void VectorNttEqualsScalarNttBitForBit(string preset)
    {
        RingContext ring = Create(preset).Ring;
        var random = new Random(11);
        foreach (NttTables tables in ring.Tables)
        {
            ulong q = tables.Modulus.Value;
            ulong[] input = RandomRow(random, ring.Degree, q);
            ulong[] vector = (ulong[])input.Clone();
            ulong[] scalar = (ulong[])input.Clone();
            Ntt.Forward(vector, tables, allowVector: true);
            Ntt.Forward(scalar, tables, allowVector: false);
            Assert.Equal(scalar, vector);
            Ntt.Inverse(vector, tables, allowVector: true);
            Ntt.Inverse(scalar, tables, allowVector: false);
            Assert.Equal(scalar, vector);
            Assert.Equal(input, vector);
        }
    }

    [Fact]
    public void LazyProductsReductionsAndLiftsEqualScalarArithmetic()
    {
        var random = new Random(5);
        // 28 to 49 bits (vector paths) and 60 bits (scalar paths).
        ulong[] primes = new[] { "N16384Depth7", "N8192ChunkCnn", "N8192Precision" }
            .SelectMany(name => Create(name).Ring.Moduli.Select(m => m.Value))
            .Distinct()
            .ToArray();

        foreach (ulong qValue in primes)
        {
            var q = new Modulus(qValue);
            foreach (ulong fromValue in primes)
            {
                ulong[] source = RandomRow(random, 1000, fromValue);
                var reduced = new ulong[1000];
                PolyArithmetic.ReduceFrom(source, fromValue, reduced, q);
                Assert.Equal(source.Select(v => v % qValue), reduced);

                var centered = new ulong[1000];
                RnsConversions.CenteredReduce(source, fromValue, fromValue >> 1, centered, q);
                for (int i = 0; i < source.Length; i++)
                {
                    BigInteger signed = source[i] > fromValue >> 1 ? (BigInteger)source[i] - fromValue : source[i];
                    Assert.Equal((ulong)(((signed % qValue) + qValue) % qValue), centered[i]);
                }
            }

            // Inner products of up to 60 digits: lazy sums, then one reduction.
            ulong[] acc0 = new ulong[1000], acc1 = new ulong[1000];
            var expected0 = new BigInteger[1000];
            var expected1 = new BigInteger[1000];
            for (int digit = 0; digit < 60; digit++)
            {
                ulong[] d = RandomRow(random, 1000, qValue), b = RandomRow(random, 1000, qValue), a = RandomRow(random, 1000, qValue);
                PolyArithmetic.MulAddPairLazy(d, b, a, acc0, acc1, q, first: digit == 0);
                for (int i = 0; i < 1000; i++)
                {
                    expected0[i] += (BigInteger)d[i] * b[i];
                    expected1[i] += (BigInteger)d[i] * a[i];
                }
            }

            PolyArithmetic.ReduceLazySums(acc0, q);
            PolyArithmetic.ReduceLazySums(acc1, q);
            Assert.Equal(expected0.Select(x => (ulong)(x % qValue)), acc0);
            Assert.Equal(expected1.Select(x => (ulong)(x % qValue)), acc1);
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void RescaleEqualsBigIntegerReference(string preset)
    {
        CkksParameters parameters = Create(preset);
        RingContext ring = parameters.Ring;
        var random = new Random(3);
        for (int level = parameters.MaxLevel; level >= 1; level -= Math.Max(1, parameters.MaxLevel / 2))
        {
            RnsPoly x = RandomPoly(random, ring, level + 1);
            RnsPoly coefficients = x.Clone();
            ring.InverseNtt(coefficients, 1);
            var result = new RnsPoly(ring.Degree, level);
            ring.Conversions.DivideByLastPrime(x, result, ring.Tables, degreeOfParallelism: 2);
            Assert.Equal(level, result.ResidueCount);
            ring.InverseNtt(result, 1);

            BigInteger modulus = 1;
            for (int j = 0; j <= level; j++)
            {
                modulus *= ring.Moduli[j].Value;
            }

            ulong last = ring.Moduli[level].Value;
            for (int i = 0; i < ring.Degree; i += 97)
            {
                // CRT: the integer X in [0, Q_l) with the given residues; out = (X - [X]_(q_l), centered) / q_l.
                BigInteger value = 0;
                for (int j = 0; j <= level; j++)
                {
                    BigInteger qj = ring.Moduli[j].Value;
                    BigInteger hat = modulus / qj;
                    value += coefficients.Residue(j)[i] * hat * BigInteger.ModPow(hat % qj, qj - 2, qj);
                }

                value %= modulus;
                BigInteger remainder = value % last;
                if (remainder > last / 2)
                {
                    remainder -= last;
                }

                BigInteger quotient = (value - remainder) / last;
                for (int j = 0; j < level; j++)
                {
                    ulong qj = ring.Moduli[j].Value;
                    Assert.Equal((ulong)(((quotient % qj) + qj) % qj), result.Residue(j)[i]);
                }
            }

            // In place gives the same rows.
            RnsPoly inPlace = x.Clone();
            ring.Conversions.DivideByLastPrime(inPlace, inPlace, ring.Tables, degreeOfParallelism: 1);
            ring.InverseNtt(inPlace, 1);
            Assert.Equal(result.AllResidues.ToArray(), inPlace.AllResidues.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void FusedKeySwitchEqualsDecomposeThenApply(string preset)
    {
        CkksParameters parameters = Create(preset);
        RingContext ring = parameters.Ring;
        var generator = new KeyGenerator(parameters);
        SecretKey secretKey = generator.GenerateSecretKey();
        RelinearizationKey relinearization = generator.GenerateRelinearizationKey(secretKey);
        var random = new Random(8);
        foreach (int threads in new[] { 1, 2 })
        {
            var switcher = new KeySwitcher(parameters, threads);
            foreach (int level in new[] { parameters.MaxLevel, 0, parameters.MaxLevel / 2 })
            {
                RnsPoly c = RandomPoly(random, ring, level + 1);
                var expected0 = new RnsPoly(ring.Degree, level + 1);
                var expected1 = new RnsPoly(ring.Degree, level + 1);
                RnsPoly[] digits = switcher.Decompose(c);
                switcher.Apply(digits, relinearization.Key, null, expected0, expected1);
                KeySwitcher.Release(digits);
                var fused0 = new RnsPoly(ring.Degree, level + 1);
                var fused1 = new RnsPoly(ring.Degree, level + 1);
                switcher.Switch(c, relinearization.Key, fused0, fused1);
                Assert.Equal(expected0.AllResidues.ToArray(), fused0.AllResidues.ToArray());
                Assert.Equal(expected1.AllResidues.ToArray(), fused1.AllResidues.ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void EncodeEqualsComplexFftReferenceBitForBit(string preset)
    {
        CkksParameters parameters = Create(preset);
        RingContext ring = parameters.Ring;
        var encoder = new CkksEncoder(parameters);
        var random = new Random(21);
        int n = parameters.SlotCount;
        foreach (double magnitude in new[] { 1.0, 1e-3, 3e6, 1e15 })
        {
            Complex[] values = Enumerable.Range(0, n - 3)
                .Select(_ => new Complex((random.NextDouble() - 0.5) * magnitude, (random.NextDouble() - 0.5) * magnitude))
                .ToArray();
            int level = parameters.MaxLevel;
            double scale = parameters.DefaultScale;
            Plaintext plaintext = encoder.Encode(values, level, scale);

            // The encoder before the split-array FFT: Complex transform, then round(w * scale) per prime.
            var w = new Complex[n];
            values.CopyTo(w, 0);
            encoder.InverseSpecialFft(w);
            for (int j = 0; j <= level; j++)
            {
                var row = new ulong[parameters.N];
                for (int k = 0; k < n; k++)
                {
                    row[k] = ScaledIntegers.RoundToResidue(w[k].Real * scale, ring.Moduli[j]);
                    row[k + n] = ScaledIntegers.RoundToResidue(w[k].Imaginary * scale, ring.Moduli[j]);
                }

                Ntt.Forward(row, ring.Tables[j]);
                Assert.Equal(row, plaintext.Poly.Residue(j).ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void DivisionWithFoldedErrorEqualsTransformingTheErrorFirst(string preset)
    {
        CkksParameters parameters = Create(preset);
        RingContext ring = parameters.Ring;
        var random = new Random(13);
        int level = parameters.MaxLevel;
        int n = ring.Degree;
        (Modulus[] moduli, NttTables[] tables) = ring.ExtendedBasis(level);
        int rows = level + 1 + ring.PCount;
        var accumulator = new RnsPoly(n, rows);
        for (int r = 0; r < rows; r++)
        {
            RandomRow(random, n, moduli[r].Value).CopyTo(accumulator.Residue(r));
        }

        long[] error = Enumerable.Range(0, n).Select(_ => (long)random.Next(-19, 20)).ToArray();

        // Reference: add NTT(e) on every row, then the plain division by P.
        RnsPoly withError = accumulator.Clone();
        var errorRows = new RnsPoly(n, rows);
        Ring.SecretSampler.Lift<long>(error, errorRows, moduli);
        for (int r = 0; r < rows; r++)
        {
            Ntt.Forward(errorRows.Residue(r), tables[r]);
            PolyArithmetic.Add(withError.Residue(r), errorRows.Residue(r), withError.Residue(r), moduli[r].Value);
        }

        var expected = new RnsPoly(n, level + 1);
        ring.DivideBySpecialPrimes(withError, level, expected, 1);

        // Folded: the error joins the special rows in the coefficient domain and the Q rows inside the division.
        var special = new RnsPoly(n, ring.PCount);
        for (int k = 0; k < ring.PCount; k++)
        {
            Span<ulong> row = special.Residue(k);
            accumulator.Residue(level + 1 + k).CopyTo(row);
            Ntt.Inverse(row, tables[level + 1 + k]);
            var e = new ulong[n];
            Ring.SecretSampler.LiftRow<long>(error, e, moduli[level + 1 + k].Value);
            PolyArithmetic.Add(row, e, row, moduli[level + 1 + k].Value);
        }

        ring.Conversions.PrepareSpecialRows(special);
        var actual = new RnsPoly(n, level + 1);
        var scratch = new ulong[n];
        for (int j = 0; j <= level; j++)
        {
            ring.Conversions.DivideRowBySpecialProduct(accumulator.Residue(j), special, j, tables[j], scratch, actual.Residue(j), error);
        }

        Assert.Equal(expected.AllResidues.ToArray(), actual.AllResidues.ToArray());
    }

    [Fact]
    public void VectorGaussianMappingEqualsScalarMapping()
    {
        var random = new Random(17);
        ulong[] bits = Enumerable.Range(0, 4099).Select(_ => (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63)).ToArray();
        bits[0] = 0;
        bits[1] = ulong.MaxValue;
        bits[2] = 1UL << 63;
        bits[3] = (1UL << 63) - 1;
        var vector = new long[bits.Length];
        var scalar = new long[bits.Length];
        Ring.SecretSampler.GaussianFromBits(bits, vector, allowVector: true);
        Ring.SecretSampler.GaussianFromBits(bits, scalar, allowVector: false);
        Assert.Equal(scalar, vector);
        Assert.InRange(vector.Max(), 0, Ring.SecretSampler.MaxDeviation);
        Assert.InRange(vector.Min(), -Ring.SecretSampler.MaxDeviation, 0);
    }
}
