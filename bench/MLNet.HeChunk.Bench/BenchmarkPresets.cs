using MLNet.HeChunk.Ckks;

namespace MLNet.HeChunk.Bench;

/// <summary>The parameter sets the engine issue measures, named as in docs/benchmarks.md.</summary>
public static class BenchmarkPresets
{
    /// <summary>(a) N=8192, Q {43,43,44,44} + P {44}: SEAL's 128-bit default.</summary>
    public const string A = "a:N8192";

    /// <summary>(b) N=16384, Q {48,48,48,49,49,49,49,49} + P {49}.</summary>
    public const string B = "b:N16384";

    /// <summary>(c) N=8192, Q {31,26x6} + P {31}, scale 2^26: the encrypted-CNN chain.</summary>
    public const string C = "c:N8192-26bit";

    public static CkksParametersLiteral Literal(string name) => name switch
    {
        A => CkksPresets.N8192Depth3,
        B => CkksPresets.N16384Depth7,
        C => CkksPresets.N8192CnnChain,
        _ => throw new ArgumentException($"unknown preset {name}"),
    };
}
