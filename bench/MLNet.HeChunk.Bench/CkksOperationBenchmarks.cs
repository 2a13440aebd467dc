using System.Numerics;
using BenchmarkDotNet.Attributes;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Ring;

namespace MLNet.HeChunk.Bench;

/// <summary>
/// Every engine operation the CKKS issue lists, for each parameter set, single-threaded and on all cores
/// (Threads = degree of parallelism across RNS residues). Inputs are prepared once per parameter set; operations
/// write into preallocated destinations where the engine offers that form, as SEAL's benchmarks do.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class CkksOperationBenchmarks
{
    private CkksParameters _parameters = null!;
    private CkksEncoder _encoder = null!;
    private SecretKey _secretKey = null!;
    private KeyGenerator _keyGenerator = null!;
    private Encryptor _publicEncryptor = null!;
    private Encryptor _secretEncryptor = null!;
    private Decryptor _decryptor = null!;
    private Evaluator _evaluator = null!;
    private Complex[] _values = null!;
    private Plaintext _plaintext = null!;
    private Ciphertext _a = null!;
    private Ciphertext _b = null!;
    private Ciphertext _product = null!;
    private Ciphertext _destination = null!;
    private Plaintext _plainDestination = null!;
    private ulong[] _nttRow = null!;
    private NttTables _nttTables = null!;

    /// <summary>
    /// Parameter set: (a), (b) or (c) of docs/benchmarks.md. All three unless the environment variable
    /// HECHUNK_BENCH_PRESETS names a subset (comma-separated letters, e.g. "a,b").
    /// </summary>
    [ParamsSource(nameof(PresetValues))]
    public string Preset { get; set; } = BenchmarkPresets.A;

    /// <summary>
    /// Degree of parallelism across RNS residues: 1 and 2 unless HECHUNK_BENCH_THREADS names a subset (e.g. "1").
    /// </summary>
    [ParamsSource(nameof(ThreadValues))]
    public int Threads { get; set; } = 1;

    /// <summary>The presets to run (see <see cref="Preset"/>).</summary>
    public static IEnumerable<string> PresetValues()
    {
        string[] all = [BenchmarkPresets.A, BenchmarkPresets.B, BenchmarkPresets.C];
        string? chosen = Environment.GetEnvironmentVariable("HECHUNK_BENCH_PRESETS");
        if (string.IsNullOrWhiteSpace(chosen))
        {
            return all;
        }

        var letters = chosen.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return all.Where(p => letters.Any(l => p.StartsWith(l + ":", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The degrees of parallelism to run (see <see cref="Threads"/>).</summary>
    public static IEnumerable<int> ThreadValues()
    {
        string? chosen = Environment.GetEnvironmentVariable("HECHUNK_BENCH_THREADS");
        return string.IsNullOrWhiteSpace(chosen)
            ? [1, 2]
            : chosen.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(int.Parse);
    }

    /// <summary>Builds keys and operands once per parameter combination.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _parameters = CkksParameters.Create(BenchmarkPresets.Literal(Preset));
        _keyGenerator = new KeyGenerator(_parameters, Threads);
        _secretKey = _keyGenerator.GenerateSecretKey();
        PublicKey publicKey = _keyGenerator.GeneratePublicKey(_secretKey);
        RelinearizationKey relinearizationKey = _keyGenerator.GenerateRelinearizationKey(_secretKey);
        GaloisKeys galoisKeys = _keyGenerator.GenerateGaloisKeys(_secretKey, [1]);
        _encoder = new CkksEncoder(_parameters, Threads);
        _publicEncryptor = new Encryptor(_parameters, publicKey, Threads);
        _secretEncryptor = new Encryptor(_parameters, _secretKey, Threads);
        _decryptor = new Decryptor(_parameters, _secretKey, Threads);
        _evaluator = new Evaluator(_parameters, relinearizationKey, galoisKeys, Threads);

        var random = new Random(42);
        _values = Enumerable.Range(0, _parameters.SlotCount).Select(_ => new Complex(random.NextDouble(), random.NextDouble())).ToArray();
        _plaintext = _encoder.Encode(_values, _parameters.MaxLevel, _parameters.DefaultScale);
        _a = _publicEncryptor.Encrypt(_plaintext);
        _b = _publicEncryptor.Encrypt(_plaintext);
        _product = _evaluator.Multiply(_a, _b);
        _destination = _a.Clone();
        _plainDestination = _encoder.Encode(_values, _parameters.MaxLevel, _parameters.DefaultScale);
        _nttTables = _parameters.Ring.Tables[0];
        _nttRow = Enumerable.Range(0, _parameters.N).Select(i => (ulong)i % _nttTables.Modulus.Value).ToArray();
    }

    /// <summary>Forward NTT of one residue.</summary>
    [Benchmark]
    public void NttForward() => Ntt.Forward(_nttRow, _nttTables);

    /// <summary>Inverse NTT of one residue.</summary>
    [Benchmark]
    public void NttInverse() => Ntt.Inverse(_nttRow, _nttTables);

    /// <summary>Encode N/2 complex values at the top level.</summary>
    [Benchmark]
    public void Encode() => _encoder.Encode(_values, _parameters.MaxLevel, _parameters.DefaultScale, _plainDestination);

    /// <summary>Public-key encryption.</summary>
    [Benchmark]
    public void EncryptPublicKey() => _publicEncryptor.Encrypt(_plaintext, _destination);

    /// <summary>Secret-key (seeded) encryption.</summary>
    [Benchmark]
    public void EncryptSecretKey() => _secretEncryptor.Encrypt(_plaintext, _destination);

    /// <summary>Decryption (to a plaintext).</summary>
    [Benchmark]
    public void Decrypt() => _decryptor.Decrypt(_a, _plainDestination);

    /// <summary>Decode N/2 slots of a top-level plaintext.</summary>
    [Benchmark]
    public Complex[] Decode() => _encoder.Decode(_plaintext);

    /// <summary>Ciphertext + ciphertext.</summary>
    [Benchmark]
    public void Add() => _evaluator.Add(_a, _b, _destination);

    /// <summary>Ciphertext x ciphertext (tensor product, no relinearization).</summary>
    [Benchmark]
    public void Multiply() => _evaluator.Multiply(_a, _b, _destination);

    /// <summary>Relinearization of a three-component product.</summary>
    [Benchmark]
    public void Relinearize() => _evaluator.Relinearize(_product, _destination);

    /// <summary>Rescale by the last prime.</summary>
    [Benchmark]
    public void Rescale() => _evaluator.Rescale(_a, _destination);

    /// <summary>Ciphertext x plaintext.</summary>
    [Benchmark]
    public void MultiplyPlain() => _evaluator.MultiplyPlain(_a, _plaintext, _destination);

    /// <summary>Rotation by one slot.</summary>
    [Benchmark]
    public void RotateOneStep() => _evaluator.Rotate(_a, 1, _destination);

    /// <summary>Relinearization key generation.</summary>
    [Benchmark]
    public RelinearizationKey KeyGenRelinearization() => _keyGenerator.GenerateRelinearizationKey(_secretKey);

    /// <summary>Generation of one Galois key.</summary>
    [Benchmark]
    public GaloisKeys KeyGenOneGaloisKey() => _keyGenerator.GenerateGaloisKeys(_secretKey, [1]);
}
