using System.Numerics;

namespace MLNet.HeChunk.Ckks.Tests;

/// <summary>A parameter set with a full key set and the objects that use it, built once per parameter set and shared.</summary>
internal sealed class TestContext
{
    private static readonly Dictionary<string, TestContext> Cache = new();

    private TestContext(CkksParametersLiteral literal, IEnumerable<int> rotations)
    {
        Parameters = CkksParameters.Create(literal);
        var generator = new KeyGenerator(Parameters);
        SecretKey = generator.GenerateSecretKey();
        PublicKey = generator.GeneratePublicKey(SecretKey);
        RelinearizationKey = generator.GenerateRelinearizationKey(SecretKey);
        GaloisKeys = generator.GenerateGaloisKeys(SecretKey, rotations, includeConjugation: true);
        Encoder = new CkksEncoder(Parameters);
        Encryptor = new Encryptor(Parameters, PublicKey);
        SymmetricEncryptor = new Encryptor(Parameters, SecretKey);
        Decryptor = new Decryptor(Parameters, SecretKey);
        Evaluator = new Evaluator(Parameters, RelinearizationKey, GaloisKeys);
    }

    public CkksParameters Parameters { get; }

    public SecretKey SecretKey { get; }

    public PublicKey PublicKey { get; }

    public RelinearizationKey RelinearizationKey { get; }

    public GaloisKeys GaloisKeys { get; }

    public CkksEncoder Encoder { get; }

    public Encryptor Encryptor { get; }

    public Encryptor SymmetricEncryptor { get; }

    public Decryptor Decryptor { get; }

    public Evaluator Evaluator { get; }

    /// <summary>Rotation steps every shared context has keys for.</summary>
    public static readonly int[] Rotations = [1, 2, 3, 4, 5, 8, 16, 31, 64, 100, 256, -1, -3, -7, -64];

    public static TestContext Get(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out TestContext? context))
            {
                context = new TestContext(Literal(name), Rotations);
                Cache[name] = context;
            }

            return context;
        }
    }

    public static CkksParametersLiteral Literal(string name) => name switch
    {
        "InsecureN1024" => CkksPresets.InsecureN1024,
        "N8192Precision" => CkksPresets.N8192Precision,
        "N8192CnnChain" => CkksPresets.N8192CnnChain,
        "InsecureN1024TwoSpecial" => CkksPresets.InsecureN1024 with { LogP = [30, 30] },
        _ => throw new ArgumentException(name),
    };

    public Complex[] RandomComplex(Random random, double bound = 1.0)
    {
        var values = new Complex[Parameters.SlotCount];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = new Complex((random.NextDouble() * 2 - 1) * bound, (random.NextDouble() * 2 - 1) * bound);
        }

        return values;
    }

    public Ciphertext Encrypt(Complex[] values, int? level = null, double? scale = null)
        => Encryptor.Encrypt(Encoder.Encode(values, level ?? Parameters.MaxLevel, scale ?? Parameters.DefaultScale));

    public Complex[] Decrypt(Ciphertext ciphertext) => Encoder.Decode(Decryptor.Decrypt(ciphertext));
}
