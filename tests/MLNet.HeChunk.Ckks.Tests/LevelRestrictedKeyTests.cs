using System.Numerics;
using MLNet.HeChunk.Ckks.Serialization;

namespace MLNet.HeChunk.Ckks.Tests;

/// <summary>
/// Key-switching keys made for a maximum level: they switch ciphertexts at that level and below exactly as a full key
/// does, refuse a higher level with a message that names both levels, and serialize to a fraction of a full key.
/// </summary>
public class LevelRestrictedKeyTests
{
    private const string Small = "InsecureN1024";

    [Fact]
    public void RestrictedRotationAndConjugationKeysWorkAtAndBelowTheirLevel()
    {
        TestContext context = TestContext.Get(Small);
        var generator = new KeyGenerator(context.Parameters);
        int top = context.Parameters.MaxLevel;
        int keyLevel = top - 1;
        GaloisKeys keys = generator.GenerateGaloisKeys(context.SecretKey,
            [GaloisKeyRequest.Rotation(3, keyLevel), GaloisKeyRequest.Rotation(-5, 0), GaloisKeyRequest.Conjugation(keyLevel)]);
        var evaluator = new Evaluator(context.Parameters, context.RelinearizationKey, keys);
        Complex[] x = context.RandomComplex(new Random(11));
        int slots = context.Parameters.SlotCount;
        Ciphertext fresh = context.Encrypt(x);
        for (int level = keyLevel; level >= 0; level--)
        {
            Ciphertext a = evaluator.DropToLevel(fresh, level);
            Complex[] rotated = context.Decrypt(evaluator.Rotate(a, 3));
            Complex[] reference = context.Decrypt(context.Evaluator.Rotate(a, 3));
            Complex[] expected = Enumerable.Range(0, slots).Select(i => x[(i + 3) % slots]).ToArray();
            EvaluatorTests.AssertPrecision(expected, rotated, 22);
            EvaluatorTests.AssertPrecision(reference, rotated, 22);
            EvaluatorTests.AssertPrecision(x.Select(Complex.Conjugate).ToArray(), context.Decrypt(evaluator.Conjugate(a)), 22);
        }

        Ciphertext bottom = evaluator.DropToLevel(fresh, 0);
        EvaluatorTests.AssertPrecision(Enumerable.Range(0, slots).Select(i => x[((i - 5) % slots + slots) % slots]).ToArray(),
            context.Decrypt(evaluator.Rotate(bottom, -5)), 22);
    }

    [Fact]
    public void AKeyRefusesACiphertextAboveItsLevel()
    {
        TestContext context = TestContext.Get(Small);
        var generator = new KeyGenerator(context.Parameters);
        GaloisKeys keys = generator.GenerateGaloisKeys(context.SecretKey, [GaloisKeyRequest.Rotation(1, 1)]);
        RelinearizationKey relinearization = generator.GenerateRelinearizationKey(context.SecretKey, 1);
        var evaluator = new Evaluator(context.Parameters, relinearization, keys);
        Ciphertext top = context.Encrypt(context.RandomComplex(new Random(12)));
        var rotate = Assert.Throws<ArgumentException>(() => evaluator.Rotate(top, 1));
        Assert.Contains("up to level 1", rotate.Message);
        Assert.Contains($"level {top.Level}", rotate.Message);
        Assert.Throws<ArgumentException>(() => evaluator.Relinearize(evaluator.Square(top)));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateGaloisKeys(context.SecretKey, [GaloisKeyRequest.Rotation(1, context.Parameters.MaxLevel + 1)]));
    }

    [Fact]
    public void RestrictedRelinearizationKeyMatchesTheFullKeyBelowItsLevel()
    {
        TestContext context = TestContext.Get(Small);
        var generator = new KeyGenerator(context.Parameters);
        RelinearizationKey restricted = generator.GenerateRelinearizationKey(context.SecretKey, 1);
        var evaluator = new Evaluator(context.Parameters, restricted, context.GaloisKeys);
        Complex[] x = context.RandomComplex(new Random(13));
        Ciphertext a = evaluator.DropToLevel(context.Encrypt(x), 1);
        Ciphertext square = evaluator.Rescale(evaluator.Relinearize(evaluator.Square(a)));
        EvaluatorTests.AssertPrecision(x.Select(v => v * v).ToArray(), context.Decrypt(square), 18);
    }

    [Fact]
    public void RestrictedKeysRoundTripAndShrinkAsExpected()
    {
        TestContext context = TestContext.Get(Small);
        CkksParameters parameters = context.Parameters;
        var generator = new KeyGenerator(parameters);
        int top = parameters.MaxLevel;
        GaloisKeys full = generator.GenerateGaloisKeys(context.SecretKey, [GaloisKeyRequest.Rotation(1, top)]);
        GaloisKeys low = generator.GenerateGaloisKeys(context.SecretKey, [GaloisKeyRequest.Rotation(1, 0), GaloisKeyRequest.Rotation(2, top), GaloisKeyRequest.Conjugation(1)]);
        long fullSize = CkksSerializer.GetSerializedSize(full);
        byte[] bytes = CkksSerializer.ToBytes(low);
        Assert.Equal(CkksSerializer.GetSerializedSize(low), bytes.Length);

        // A level-0 key: one digit over q_0 and P, against L+1 digits over every prime.
        long levelZeroBody = 32 + RowBytes(parameters, [0, .. SpecialRows(parameters)]);
        long fullBody = 32 + (top + 1) * RowBytes(parameters, [.. Enumerable.Range(0, parameters.Q.Count), .. SpecialRows(parameters)]);
        Assert.Equal(fullBody, fullSize - 24 - 4 - 9);

        GaloisKeys read = CkksSerializer.ReadGaloisKeys(bytes, parameters);
        Assert.Equal(bytes, CkksSerializer.ToBytes(read));
        var evaluator = new Evaluator(parameters, context.RelinearizationKey, read);
        Complex[] x = context.RandomComplex(new Random(14));
        Ciphertext a = evaluator.DropToLevel(context.Encrypt(x), 0);
        EvaluatorTests.AssertPrecision(Enumerable.Range(0, x.Length).Select(i => x[(i + 1) % x.Length]).ToArray(), context.Decrypt(evaluator.Rotate(a, 1)), 22);
        Assert.True(levelZeroBody < fullBody / top, $"level-0 key body {levelZeroBody} bytes against {fullBody} for a full key");

        RelinearizationKey relinearization = generator.GenerateRelinearizationKey(context.SecretKey, 0);
        byte[] relinearizationBytes = CkksSerializer.ToBytes(relinearization);
        Assert.Equal(24 + 1 + levelZeroBody, relinearizationBytes.Length);
        Assert.Equal(relinearizationBytes, CkksSerializer.ToBytes(CkksSerializer.ReadRelinearizationKey(relinearizationBytes, parameters)));
    }

    [Fact]
    public void MalformedDigitCountsAndOldVersionsAreRefused()
    {
        TestContext context = TestContext.Get(Small);
        CkksParameters parameters = context.Parameters;
        var generator = new KeyGenerator(parameters);
        byte[] bytes = CkksSerializer.ToBytes(generator.GenerateGaloisKeys(context.SecretKey, [GaloisKeyRequest.Rotation(1, 0)]));
        // Header 24 bytes, count 4, element 8, then the digit count.
        foreach (byte digits in new byte[] { 0, (byte)(parameters.Q.Count + 1), 2 })
        {
            byte[] bad = (byte[])bytes.Clone();
            bad[24 + 4 + 8] = digits;
            Assert.Throws<CkksFormatException>(() => CkksSerializer.ReadGaloisKeys(bad, parameters));
        }

        byte[] old = (byte[])bytes.Clone();
        old[4] = 1;
        old[5] = 0;
        var e = Assert.Throws<CkksFormatException>(() => CkksSerializer.ReadGaloisKeys(old, parameters));
        Assert.Contains("version 1", e.Message);
    }

    private static IEnumerable<int> SpecialRows(CkksParameters parameters) => Enumerable.Range(parameters.Q.Count, parameters.P.Count);

    private static long RowBytes(CkksParameters parameters, int[] primeIndices)
    {
        ulong[] primes = [.. parameters.Q, .. parameters.P];
        return primeIndices.Sum(i => ((long)parameters.N * (64 - System.Numerics.BitOperations.LeadingZeroCount(primes[i])) + 7) / 8);
    }
}
