using System.Buffers.Binary;
using System.Numerics;
using MLNet.HeChunk.Ckks.Ring;
using MLNet.HeChunk.Ckks.Rlwe;
using MLNet.HeChunk.Ckks.Serialization;
using Xunit.Abstractions;

namespace MLNet.HeChunk.Ckks.Tests;

/// <summary>
/// Random damage to every serialized kind: bit flips, byte overwrites, special 64-bit values (NaN, infinities, huge
/// lengths), truncations, insertions, deletions, appended bytes and rewritten length fields, one to three at a time.
/// The reader must either refuse with <see cref="CkksFormatException"/> or return an object that works (decrypts,
/// encrypts, relinearizes, rotates) and serializes back to exactly the bytes it came from. Any other exception fails.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    // HECHUNK_FUZZ_MUTATIONS overrides the count (as for the library's DeserializerFuzzTests); 10,000 on N = 32 takes seconds.
    private static readonly int MutationsPerKind =
        int.TryParse(Environment.GetEnvironmentVariable("HECHUNK_FUZZ_MUTATIONS"), out int n) && n > 0 ? n : 10_000;

    private static readonly Lazy<FuzzContext> Tiny = new(() => new FuzzContext(new CkksParametersLiteral
    {
        // N = 32 and small primes: objects of a few hundred bytes, so ten thousand mutations of each kind take
        // seconds, and a large share of mutations land in the headers and small fields rather than in residues.
        LogN = 5,
        LogQ = [30, 25, 25],
        LogP = [30],
        LogDefaultScale = 25,
        Security = SecurityMode.InsecureForTestingOnly,
    }));

    private static readonly Lazy<FuzzContext> N1024 = new(() => new FuzzContext(CkksPresets.InsecureN1024));

    public static TheoryData<string> Kinds => new(FuzzContext.KindNames);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void TenThousandMutationsOfTinyObjects(string kind) => Run(Tiny.Value, kind, MutationsPerKind, seedBase: 1);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void MutationsOfN1024Objects(string kind) => Run(N1024.Value, kind, 500, seedBase: 2);

    private void Run(FuzzContext context, string kind, int mutations, int seedBase)
    {
        // A fixed seed per kind and run keeps every failure reproducible from its mutation number.
        int seed = Array.IndexOf(FuzzContext.KindNames, kind) * 7919 + seedBase;
        FuzzTarget target = context.Target(kind);
        // The unmutated bytes must load, work and re-serialize identically, or the test would prove nothing.
        object original = target.Read(target.Bytes);
        target.Use(original);
        Assert.Equal(target.Bytes, target.Write(original));

        var random = new Random(seed);
        int refused = 0;
        int accepted = 0;
        for (int i = 0; i < mutations; i++)
        {
            byte[] mutant = Mutator.Mutate(target.Bytes, random, out string description);
            object? result = null;
            Exception? escaped = null;
            try
            {
                result = target.Read(mutant);
            }
            catch (CkksFormatException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                refused++;
                continue;
            }
            catch (Exception e)
            {
                escaped = e;
            }

            if (escaped is not null || result is null)
            {
                Assert.Fail($"{kind}, mutation {i} ({description}): {escaped?.GetType().Name ?? "null"} escaped the reader: {escaped}");
                return;
            }

            try
            {
                target.Use(result);
                if (target.Canonical)
                {
                    Assert.True(mutant.AsSpan().SequenceEqual(target.Write(result)), "an accepted object re-serializes to other bytes");
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"{kind}, mutation {i} ({description}): the accepted object does not work: {e}");
            }

            accepted++;
        }

        Assert.Equal(mutations, refused + accepted);
        output.WriteLine($"{kind} ({target.Bytes.Length} bytes): {refused} refused, {accepted} accepted and usable");
        // Most damage must be caught; some (a flipped residue bit that stays below its prime, a changed seed) cannot
        // be told from a genuine object and is rightly accepted.
        Assert.True(refused > mutations / 4, $"{kind}: only {refused} of {mutations} mutations refused");
        if (target.HasUncheckableBytes)
        {
            Assert.True(accepted > 0, $"{kind}: no mutation was accepted, so the usability path was never exercised");
        }
    }

    /// <summary>One serialized object with its reader, writer and a functional check of a loaded copy.</summary>
    private sealed record FuzzTarget(byte[] Bytes, Func<byte[], object> Read, Func<object, byte[]> Write, Action<object> Use, bool Canonical, bool HasUncheckableBytes);

    private sealed class FuzzContext
    {
        public static readonly string[] KindNames =
        [
            "Parameters", "Plaintext", "PublicKeyCiphertext", "SeededCiphertext", "ThreeComponentCiphertext",
            "SecretKey", "PublicKey", "RelinearizationKey", "GaloisKeys",
        ];

        private readonly CkksParameters _parameters;
        private readonly CkksEncoder _encoder;
        private readonly SecretKey _secretKey;
        private readonly PublicKey _publicKey;
        private readonly RelinearizationKey _relinearizationKey;
        private readonly GaloisKeys _galoisKeys;
        private readonly Plaintext _plaintext;
        private readonly Ciphertext _ciphertext;
        private readonly Ciphertext _seeded;
        private readonly Ciphertext _product;
        private readonly Decryptor _decryptor;
        private readonly Evaluator _evaluator;

        public FuzzContext(CkksParametersLiteral literal)
        {
            _parameters = CkksParameters.Create(literal);
            var generator = new KeyGenerator(_parameters);
            _secretKey = generator.GenerateSecretKey();
            _publicKey = generator.GeneratePublicKey(_secretKey);
            _relinearizationKey = generator.GenerateRelinearizationKey(_secretKey);
            _galoisKeys = generator.GenerateGaloisKeys(_secretKey, [1, 3, -1], includeConjugation: true);
            _encoder = new CkksEncoder(_parameters);
            _decryptor = new Decryptor(_parameters, _secretKey);
            _evaluator = new Evaluator(_parameters, _relinearizationKey, _galoisKeys);
            var random = new Random(5);
            var values = new Complex[_parameters.SlotCount];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
            }

            _plaintext = _encoder.Encode(values, _parameters.MaxLevel, _parameters.DefaultScale);
            _ciphertext = new Encryptor(_parameters, _publicKey).Encrypt(_plaintext);
            _seeded = new Encryptor(_parameters, _secretKey).Encrypt(_encoder.Encode(values, 1, _parameters.DefaultScale));
            _product = _evaluator.Multiply(_ciphertext, _ciphertext);
        }

        public FuzzTarget Target(string kind) => kind switch
        {
            // Not canonical: several log2 values can give the same scale, so only the fingerprint must agree.
            "Parameters" => new(
                CkksSerializer.ToBytes(_parameters),
                b => CkksSerializer.ReadParameters(b, SecurityMode.InsecureForTestingOnly),
                o => CkksSerializer.ToBytes((CkksParameters)o),
                o => UseParameters((CkksParameters)o),
                Canonical: false,
                HasUncheckableBytes: false),
            "Plaintext" => Public(CkksSerializer.ToBytes(_plaintext), b => CkksSerializer.ReadPlaintext(b, _parameters), o => CkksSerializer.ToBytes((Plaintext)o), o => _encoder.Decode((Plaintext)o)),
            "PublicKeyCiphertext" => Ciphertext(_ciphertext),
            "SeededCiphertext" => Ciphertext(_seeded),
            "ThreeComponentCiphertext" => Ciphertext(_product),
            "SecretKey" => Public(
                CkksSerializer.ExportSecretKey(_secretKey),
                b => CkksSerializer.ImportSecretKey(b, _parameters),
                o => CkksSerializer.ExportSecretKey((SecretKey)o),
                o => _encoder.Decode(new Decryptor(_parameters, (SecretKey)o).Decrypt(_ciphertext))),
            "PublicKey" => Public(
                CkksSerializer.ToBytes(_publicKey),
                b => CkksSerializer.ReadPublicKey(b, _parameters),
                o => CkksSerializer.ToBytes((PublicKey)o),
                o => Decrypt(new Encryptor(_parameters, (PublicKey)o).Encrypt(_plaintext))),
            "RelinearizationKey" => Public(
                CkksSerializer.ToBytes(_relinearizationKey),
                b => CkksSerializer.ReadRelinearizationKey(b, _parameters),
                o => CkksSerializer.ToBytes((RelinearizationKey)o),
                o => Decrypt(new Evaluator(_parameters, (RelinearizationKey)o).Relinearize(_product))),
            "GaloisKeys" => Public(
                CkksSerializer.ToBytes(_galoisKeys),
                b => CkksSerializer.ReadGaloisKeys(b, _parameters),
                o => CkksSerializer.ToBytes((GaloisKeys)o),
                o => UseGaloisKeys((GaloisKeys)o)),
            _ => throw new ArgumentException(kind),
        };

        private static FuzzTarget Public(byte[] bytes, Func<byte[], object> read, Func<object, byte[]> write, Action<object> use)
            => new(bytes, read, write, use, Canonical: true, HasUncheckableBytes: true);

        private FuzzTarget Ciphertext(Ciphertext ciphertext) => Public(
            CkksSerializer.ToBytes(ciphertext),
            b => CkksSerializer.ReadCiphertext(b, _parameters),
            o => CkksSerializer.ToBytes((Ciphertext)o),
            o => UseCiphertext((Ciphertext)o));

        private void Decrypt(Ciphertext ciphertext) => _encoder.Decode(_decryptor.Decrypt(ciphertext));

        private void UseCiphertext(Ciphertext ciphertext)
        {
            Decrypt(ciphertext);
            Ciphertext linear = ciphertext.Size == 3 ? _evaluator.Relinearize(ciphertext) : ciphertext;
            Decrypt(_evaluator.Rotate(linear, 1));
            if (linear.Level > 0)
            {
                Decrypt(_evaluator.Rescale(_evaluator.Multiply(linear, linear)));
            }
        }

        private void UseGaloisKeys(GaloisKeys keys)
        {
            // Every key, whatever its element (a mutation may turn a rotation into any odd element), through the
            // key switcher the evaluator uses for rotations.
            var switcher = new KeySwitcher(_parameters, 1);
            RnsPoly[] digits = switcher.Decompose(_ciphertext.Components[1]);
            int rows = _ciphertext.Level + 1;
            foreach (KeyValuePair<ulong, KeySwitchingKey> pair in keys.Keys)
            {
                switcher.Apply(digits, pair.Value, _parameters.Ring.GaloisPermutation(pair.Key), new RnsPoly(_parameters.N, rows), new RnsPoly(_parameters.N, rows));
            }

            if (keys.ContainsRotation(1))
            {
                Decrypt(new Evaluator(_parameters, null, keys).Rotate(_ciphertext, 1));
            }
        }

        private void UseParameters(CkksParameters parameters)
        {
            Assert.Equal(_parameters.Fingerprint, parameters.Fingerprint);
            var encoder = new CkksEncoder(parameters);
            encoder.Decode(encoder.Encode(new double[parameters.SlotCount]));
        }
    }

    /// <summary>Deterministic random damage to a byte array.</summary>
    private static class Mutator
    {
        private static readonly ulong[] Special =
        [
            0, 1, ulong.MaxValue, long.MaxValue, 1UL << 32, 1UL << 63,
            BitConverter.DoubleToUInt64Bits(double.NaN), BitConverter.DoubleToUInt64Bits(double.PositiveInfinity),
            BitConverter.DoubleToUInt64Bits(double.NegativeInfinity), BitConverter.DoubleToUInt64Bits(0.5),
            BitConverter.DoubleToUInt64Bits(-1.0), BitConverter.DoubleToUInt64Bits(1e308), BitConverter.DoubleToUInt64Bits(double.Epsilon),
        ];

        public static byte[] Mutate(byte[] original, Random random, out string description)
        {
            while (true)
            {
                var bytes = new List<byte>(original);
                var steps = new List<string>();
                int count = 1 + random.Next(3);
                for (int m = 0; m < count; m++)
                {
                    steps.Add(MutateOnce(bytes, random));
                }

                // Writing a byte's own value, or two steps that cancel, leave the original: that is no mutation.
                if (!bytes.SequenceEqual(original))
                {
                    description = string.Join("; ", steps);
                    return [.. bytes];
                }
            }
        }

        private static string MutateOnce(List<byte> bytes, Random random)
        {
            int length = bytes.Count;
            int Position() => length == 0 ? 0 : random.Next(length);
            switch (random.Next(11))
            {
                case 0:
                {
                    if (length == 0)
                    {
                        goto case 6;
                    }

                    int p = Position();
                    int bit = random.Next(8);
                    bytes[p] ^= (byte)(1 << bit);
                    return $"flip bit {bit} of byte {p}";
                }

                case 1:
                case 2:
                {
                    if (length == 0)
                    {
                        goto case 6;
                    }

                    int p = Position();
                    byte value = random.Next(2) == 0 ? (byte)random.Next(256) : new byte[] { 0, 1, 0x7F, 0x80, 0xFF }[random.Next(5)];
                    bytes[p] = value;
                    return $"byte {p} = {value}";
                }

                case 3:
                {
                    // The header and the small fields after it decide everything; hit them often.
                    if (length == 0)
                    {
                        goto case 6;
                    }

                    int p = random.Next(Math.Min(length, CkksSerializer.HeaderSize + 16));
                    byte value = (byte)random.Next(256);
                    bytes[p] = value;
                    return $"header byte {p} = {value}";
                }

                case 4:
                {
                    int keep = random.Next(length);
                    bytes.RemoveRange(keep, length - keep);
                    return $"truncate to {keep}";
                }

                case 5:
                {
                    int p = random.Next(length + 1);
                    int n = 1 + random.Next(16);
                    var inserted = new byte[n];
                    random.NextBytes(inserted);
                    bytes.InsertRange(p, inserted);
                    return $"insert {n} bytes at {p}";
                }

                case 6:
                {
                    int n = 1 + random.Next(8);
                    var appended = new byte[n];
                    random.NextBytes(appended);
                    bytes.AddRange(appended);
                    return $"append {n} bytes";
                }

                case 7:
                {
                    if (length == 0)
                    {
                        goto case 6;
                    }

                    int p = Position();
                    int n = Math.Min(1 + random.Next(16), length - p);
                    bytes.RemoveRange(p, n);
                    return $"delete {n} bytes at {p}";
                }

                case 8:
                {
                    // Rewrite the payload length field (offset 16), by a little or to something absurd.
                    if (length < CkksSerializer.HeaderSize)
                    {
                        goto case 4;
                    }

                    Span<byte> field = stackalloc byte[8];
                    for (int i = 0; i < 8; i++)
                    {
                        field[i] = bytes[16 + i];
                    }

                    ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(field);
                    ulong value = random.Next(3) switch
                    {
                        0 => declared + (ulong)(random.Next(33) - 16),
                        1 => Special[random.Next(Special.Length)],
                        _ => (ulong)random.NextInt64(),
                    };
                    BinaryPrimitives.WriteUInt64LittleEndian(field, value);
                    for (int i = 0; i < 8; i++)
                    {
                        bytes[16 + i] = field[i];
                    }

                    return $"length field = {value}";
                }

                default:
                {
                    // A special 64-bit value (NaN, infinities, 0.5, huge counts) over any 8 bytes, usually near the front.
                    if (length < 8)
                    {
                        goto case 6;
                    }

                    int p = random.Next(2) == 0 ? random.Next(Math.Min(length - 8, CkksSerializer.HeaderSize + 8) + 1) : random.Next(length - 7);
                    ulong value = Special[random.Next(Special.Length)];
                    Span<byte> field = stackalloc byte[8];
                    BinaryPrimitives.WriteUInt64LittleEndian(field, value);
                    for (int i = 0; i < 8; i++)
                    {
                        bytes[p + i] = field[i];
                    }

                    return $"8 bytes at {p} = 0x{value:x16}";
                }
            }
        }
    }
}
