namespace MLNet.HeChunk.Ckks;

/// <summary>
/// An unchecked description of a CKKS parameter set, as a user writes it: ring degree, the ciphertext prime chain
/// and the special primes for key switching, either as bit sizes (primes generated deterministically) or explicit
/// primes. Turn it into usable, validated parameters with <see cref="CkksParameters.Create"/>.
/// </summary>
public sealed record CkksParametersLiteral
{
    /// <summary>log2 of the ring degree N; N/2 complex slots.</summary>
    public int LogN { get; init; }

    /// <summary>Bit sizes of the ciphertext primes q_0..q_L (q_0 first). Exclusive with <see cref="Q"/>.</summary>
    public IReadOnlyList<int>? LogQ { get; init; }

    /// <summary>Explicit ciphertext primes q_0..q_L. Exclusive with <see cref="LogQ"/>.</summary>
    public IReadOnlyList<ulong>? Q { get; init; }

    /// <summary>Bit sizes of the special primes used only inside key switching. Exclusive with <see cref="P"/>.</summary>
    public IReadOnlyList<int>? LogP { get; init; }

    /// <summary>Explicit special primes. Exclusive with <see cref="LogP"/>.</summary>
    public IReadOnlyList<ulong>? P { get; init; }

    /// <summary>log2 of the default encoding scale.</summary>
    public double LogDefaultScale { get; init; }

    /// <summary>Security policy; insecure parameters must be asked for by name.</summary>
    public SecurityMode Security { get; init; } = SecurityMode.Require128Bit;
}
