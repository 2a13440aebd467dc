using System.Numerics;

namespace MLNet.HeChunk.Ckks.Tests;

/// <summary>Every evaluator operation against plain complex arithmetic on random vectors, precision asserted in bits.</summary>
public class EvaluatorTests
{
    private const string Small = "InsecureN1024";

    [Theory]
    [InlineData(Small, false)]
    [InlineData(Small, true)]
    [InlineData("InsecureN1024TwoSpecial", false)]
    public void EncryptDecryptRoundTrip(string name, bool symmetric)
    {
        TestContext context = TestContext.Get(name);
        Complex[] values = context.RandomComplex(new Random(1));
        Plaintext plaintext = context.Encoder.Encode(values, context.Parameters.MaxLevel, context.Parameters.DefaultScale);
        Ciphertext ciphertext = (symmetric ? context.SymmetricEncryptor : context.Encryptor).Encrypt(plaintext);
        Assert.Equal(symmetric, ciphertext.Seed is not null);
        AssertPrecision(values, context.Decrypt(ciphertext), 25);
    }

    [Fact]
    public void FreshPublicKeyEncryptionIsNearlyAsPreciseAsSecretKeyEncryption()
    {
        // Public-key encryption is computed over Q and P and divided by P, which leaves only rounding noise:
        // at the CNN parameters (scale 2^28) about 18 bits of mean precision (complex error) against about 20 for
        // secret-key encryption. Without the division the u*e term (about sigma*sqrt(2N/3) per coefficient instead
        // of about sqrt(N/18)) would cost an estimated four bits.
        var parameters = CkksParameters.Create(CkksPresets.N8192ChunkCnn);
        var generator = new KeyGenerator(parameters);
        SecretKey secretKey = generator.GenerateSecretKey();
        var encoder = new CkksEncoder(parameters);
        var decryptor = new Decryptor(parameters, secretKey);
        var random = new Random(12);
        Complex[] values = Enumerable.Range(0, parameters.SlotCount).Select(_ => new Complex(random.NextDouble(), 0)).ToArray();
        Plaintext plaintext = encoder.Encode(values, 5, parameters.DefaultScale);
        Complex[] Roundtrip(Encryptor encryptor) => encoder.Decode(decryptor.Decrypt(encryptor.Encrypt(plaintext)));
        AssertPrecision(values, Roundtrip(new Encryptor(parameters, generator.GeneratePublicKey(secretKey))), 17);
        AssertPrecision(values, Roundtrip(new Encryptor(parameters, secretKey)), 19);
    }

    [Fact]
    public void AddSubNegateAndPlainAndConstantOperations()
    {
        TestContext context = TestContext.Get(Small);
        var random = new Random(2);
        Complex[] x = context.RandomComplex(random);
        Complex[] y = context.RandomComplex(random);
        Ciphertext a = context.Encrypt(x);
        Ciphertext b = context.Encrypt(y);
        Plaintext py = context.Encoder.Encode(y, context.Parameters.MaxLevel, context.Parameters.DefaultScale);
        Evaluator ev = context.Evaluator;
        var constant = new Complex(0.25, -0.5);

        AssertPrecision(Zip(x, y, (p, q) => p + q), context.Decrypt(ev.Add(a, b)), 24);
        AssertPrecision(Zip(x, y, (p, q) => p - q), context.Decrypt(ev.Sub(a, b)), 24);
        AssertPrecision(x.Select(v => -v).ToArray(), context.Decrypt(ev.Negate(a)), 24);
        AssertPrecision(Zip(x, y, (p, q) => p + q), context.Decrypt(ev.AddPlain(a, py)), 24);
        AssertPrecision(Zip(x, y, (p, q) => p - q), context.Decrypt(ev.SubPlain(a, py)), 24);
        AssertPrecision(x.Select(v => v + constant).ToArray(), context.Decrypt(ev.AddConstant(a, constant)), 24);

        // In-place form: destination is the first operand.
        Ciphertext inPlace = a.Clone();
        ev.Add(inPlace, b, inPlace);
        AssertPrecision(Zip(x, y, (p, q) => p + q), context.Decrypt(inPlace), 24);
    }

    [Fact]
    public void MultiplyPlainAndConstantThenRescale()
    {
        TestContext context = TestContext.Get(Small);
        var random = new Random(3);
        Complex[] x = context.RandomComplex(random);
        Complex[] y = context.RandomComplex(random);
        Evaluator ev = context.Evaluator;
        Ciphertext a = context.Encrypt(x);
        int level = a.Level;
        Plaintext py = context.Encoder.Encode(y, level, ev.PrimeAtLevel(level));
        Ciphertext product = ev.Rescale(ev.MultiplyPlain(a, py));
        Assert.Equal(level - 1, product.Level);
        Assert.Equal(context.Parameters.DefaultScale, product.Scale, 6);
        AssertPrecision(Zip(x, y, (p, q) => p * q), context.Decrypt(product), 20);

        Ciphertext scaled = ev.Rescale(ev.MultiplyConstant(a, -1.75, ev.PrimeAtLevel(level)));
        AssertPrecision(x.Select(v => v * -1.75).ToArray(), context.Decrypt(scaled), 20);

        Ciphertext integer = ev.MultiplyConstant(a, 3, 1);
        Assert.Equal(a.Level, integer.Level);
        AssertPrecision(x.Select(v => v * 3).ToArray(), context.Decrypt(integer), 20);
    }

    [Theory]
    [InlineData(Small, 18)]
    [InlineData("InsecureN1024TwoSpecial", 18)]
    public void MultiplyRelinearizeRescaleSquareAndDepth(string name, double minimumMeanBits)
    {
        TestContext context = TestContext.Get(name);
        var random = new Random(4);
        Complex[] x = context.RandomComplex(random);
        Complex[] y = context.RandomComplex(random);
        Evaluator ev = context.Evaluator;
        Ciphertext a = context.Encrypt(x);
        Ciphertext b = context.Encrypt(y);

        Ciphertext unrelinearized = ev.Multiply(a, b);
        Assert.Equal(3, unrelinearized.Size);
        AssertPrecision(Zip(x, y, (p, q) => p * q), context.Decrypt(ev.Rescale(unrelinearized)), minimumMeanBits);

        Ciphertext product = ev.Rescale(ev.Relinearize(ev.Multiply(a, b)));
        Assert.Equal(2, product.Size);
        AssertPrecision(Zip(x, y, (p, q) => p * q), context.Decrypt(product), minimumMeanBits);

        // Two levels: (x*y)^2 with a square.
        Ciphertext fourth = ev.Rescale(ev.Relinearize(ev.Square(product)));
        AssertPrecision(Zip(x, y, (p, q) => (p * q) * (p * q)), context.Decrypt(fourth), minimumMeanBits - 2);
    }

    [Fact]
    public void MultiplyKeepsTwentyBitsAtN8192WithSixtyFortyFortySixty()
    {
        // The bar: N=8192, primes {60,40,40,60}, scale 2^40, one multiply + relinearize + rescale,
        // mean precision at least 20 bits for slot values in [-1, 1].
        TestContext context = TestContext.Get("N8192Precision");
        Assert.True(context.Parameters.IsSecure);
        var random = new Random(5);
        Complex[] x = context.RandomComplex(random).Select(v => new Complex(v.Real, 0)).ToArray();
        Complex[] y = context.RandomComplex(random).Select(v => new Complex(v.Real, 0)).ToArray();
        Evaluator ev = context.Evaluator;
        Ciphertext product = ev.Rescale(ev.Relinearize(ev.Multiply(context.Encrypt(x), context.Encrypt(y))));
        Precision precision = AssertPrecision(Zip(x, y, (p, q) => p * q), context.Decrypt(product), 20);
        Assert.True(precision.MedianBits >= 20, precision.ToString());
    }

    [Theory]
    [InlineData(Small)]
    [InlineData("InsecureN1024TwoSpecial")]
    public void RotationsMatchPlainRotationForEveryStep(string name)
    {
        TestContext context = TestContext.Get(name);
        Complex[] x = context.RandomComplex(new Random(6));
        Ciphertext a = context.Encrypt(x);
        int slots = context.Parameters.SlotCount;
        foreach (int step in TestContext.Rotations)
        {
            Complex[] expected = Enumerable.Range(0, slots).Select(i => x[((i + step) % slots + slots) % slots]).ToArray();
            AssertPrecision(expected, context.Decrypt(context.Evaluator.Rotate(a, step)), 22);
        }

        IReadOnlyDictionary<int, Ciphertext> hoisted = context.Evaluator.RotateHoisted(a, TestContext.Rotations.Append(0));
        foreach ((int step, Ciphertext rotated) in hoisted)
        {
            Complex[] expected = Enumerable.Range(0, slots).Select(i => x[((i + step) % slots + slots) % slots]).ToArray();
            AssertPrecision(expected, context.Decrypt(rotated), 22);
        }
    }

    [Fact]
    public void RotationAfterRescaleAndAtLowerLevel()
    {
        TestContext context = TestContext.Get(Small);
        Complex[] x = context.RandomComplex(new Random(7));
        Evaluator ev = context.Evaluator;
        Ciphertext a = ev.DropLevel(context.Encrypt(x), 1);
        Ciphertext rotated = ev.Rotate(a, 5);
        Assert.Equal(a.Level, rotated.Level);
        int slots = context.Parameters.SlotCount;
        AssertPrecision(Enumerable.Range(0, slots).Select(i => x[(i + 5) % slots]).ToArray(), context.Decrypt(rotated), 22);
    }

    [Fact]
    public void ConjugateAndRotateAndSum()
    {
        TestContext context = TestContext.Get(Small);
        Complex[] x = context.RandomComplex(new Random(8));
        Evaluator ev = context.Evaluator;
        Ciphertext a = context.Encrypt(x);
        AssertPrecision(x.Select(Complex.Conjugate).ToArray(), context.Decrypt(ev.Conjugate(a)), 22);

        int slots = context.Parameters.SlotCount;
        foreach ((int count, int stride) in new[] { (4, 1), (5, 1), (3, 64), (8, 1) })
        {
            Assert.All(Evaluator.RotateAndSumSteps(count, stride), s => Assert.True(context.GaloisKeys.ContainsRotation(s), $"missing step {s}"));
            Complex[] expected = Enumerable.Range(0, slots)
                .Select(i => Enumerable.Range(0, count).Aggregate(Complex.Zero, (acc, k) => acc + x[(i + k * stride) % slots]))
                .ToArray();
            AssertPrecision(expected, context.Decrypt(ev.RotateAndSum(a, count, stride)), 20);
        }
    }

    [Fact]
    public void ResultsDoNotDependOnDegreeOfParallelism()
    {
        TestContext context = TestContext.Get(Small);
        Complex[] x = context.RandomComplex(new Random(9));
        Ciphertext a = context.Encrypt(x);
        var single = new Evaluator(context.Parameters, context.RelinearizationKey, context.GaloisKeys, degreeOfParallelism: 1);
        var parallel = new Evaluator(context.Parameters, context.RelinearizationKey, context.GaloisKeys, degreeOfParallelism: 4);
        Ciphertext r1 = single.Rescale(single.Relinearize(single.Multiply(single.Rotate(a, 3), a)));
        Ciphertext r2 = parallel.Rescale(parallel.Relinearize(parallel.Multiply(parallel.Rotate(a, 3), a)));
        for (int c = 0; c < 2; c++)
        {
            Assert.Equal(r1.Components[c].AllResidues.ToArray(), r2.Components[c].AllResidues.ToArray());
        }
    }

    [Fact]
    public void MismatchesAreRefusedWithClearMessages()
    {
        TestContext context = TestContext.Get(Small);
        TestContext other = TestContext.Get("InsecureN1024TwoSpecial");
        Evaluator ev = context.Evaluator;
        Complex[] x = context.RandomComplex(new Random(10));
        Ciphertext a = context.Encrypt(x);
        Ciphertext lower = ev.DropLevel(a, 1);
        Ciphertext otherScale = context.Encrypt(x, scale: context.Parameters.DefaultScale * 2);
        Ciphertext foreign = other.Encrypt(other.RandomComplex(new Random(1)));

        Assert.Contains("levels differ", Assert.Throws<ArgumentException>(() => ev.Add(a, lower)).Message);
        Assert.Contains("scales", Assert.Throws<ArgumentException>(() => ev.Add(a, otherScale)).Message);
        Assert.Contains("another parameter set", Assert.Throws<ArgumentException>(() => ev.Add(a, foreign)).Message);
        Assert.Contains("lack the key", Assert.Throws<InvalidOperationException>(() => ev.Rotate(a, 7)).Message);
        Assert.Contains("no relinearization key", Assert.Throws<InvalidOperationException>(
            () => new Evaluator(context.Parameters).Relinearize(ev.Multiply(a, a))).Message);
        Assert.Contains("level-0", Assert.Throws<InvalidOperationException>(() => ev.Rescale(ev.DropToLevel(a, 0))).Message);
        Assert.Throws<ArgumentException>(() => new Decryptor(context.Parameters, other.SecretKey));
    }

    [Fact]
    public void WrongSecretKeyDecryptsToNoise()
    {
        TestContext context = TestContext.Get(Small);
        var wrongKey = new KeyGenerator(context.Parameters).GenerateSecretKey();
        Complex[] x = context.RandomComplex(new Random(11));
        Ciphertext a = context.Encrypt(x);
        Complex[] decrypted = context.Encoder.Decode(new Decryptor(context.Parameters, wrongKey).Decrypt(a));
        Precision precision = Precision.Measure(x, decrypted);
        Assert.True(precision.MeanBits < 0, precision.ToString());
    }

    internal static Complex[] Zip(Complex[] a, Complex[] b, Func<Complex, Complex, Complex> f)
        => a.Zip(b, f).ToArray();

    internal static Precision AssertPrecision(Complex[] expected, Complex[] actual, double minimumMeanBits)
    {
        Precision precision = Precision.Measure(expected, actual);
        Assert.True(precision.MeanBits >= minimumMeanBits, $"{precision} (wanted mean >= {minimumMeanBits})");
        Assert.True(precision.MinBits >= minimumMeanBits - 6, $"{precision} (wanted min >= {minimumMeanBits - 6})");
        return precision;
    }
}
