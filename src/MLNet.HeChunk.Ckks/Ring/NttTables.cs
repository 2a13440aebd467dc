namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// Precomputed powers of a primitive 2N-th root of unity psi for one prime, in bit-reversed order, each with its
/// Shoup companion, for the negacyclic NTT over Z_q[X]/(X^N + 1).
/// </summary>
internal sealed class NttTables
{
    public NttTables(Modulus modulus, int ringDegree)
    {
        if (ringDegree < 2 || (ringDegree & (ringDegree - 1)) != 0)
        {
            throw new ArgumentException($"ring degree {ringDegree} is not a power of two");
        }

        Modulus = modulus;
        Degree = ringDegree;
        LogDegree = System.Numerics.BitOperations.Log2((uint)ringDegree);
        ulong q = modulus.Value;
        Psi = PrimeGenerator.FindPrimitiveRoot(q, 2UL * (ulong)ringDegree);
        ulong psiInverse = modulus.Inverse(Psi);

        Roots = new ulong[ringDegree];
        RootsShoup = new ulong[ringDegree];
        InverseRoots = new ulong[ringDegree];
        InverseRootsShoup = new ulong[ringDegree];
        ulong power = 1;
        ulong inversePower = 1;
        for (int i = 0; i < ringDegree; i++)
        {
            int slot = BitReverse(i, LogDegree);
            Roots[slot] = power;
            InverseRoots[slot] = inversePower;
            power = modulus.Mul(power, Psi);
            inversePower = modulus.Mul(inversePower, psiInverse);
        }

        for (int i = 0; i < ringDegree; i++)
        {
            RootsShoup[i] = modulus.ShoupOf(Roots[i]);
            InverseRootsShoup[i] = modulus.ShoupOf(InverseRoots[i]);
        }

        DegreeInverse = modulus.Inverse((ulong)ringDegree);
        DegreeInverseShoup = modulus.ShoupOf(DegreeInverse);
        LastInverseRootTimesDegreeInverse = modulus.Mul(InverseRoots[1], DegreeInverse);

        if (VectorModular.IsSupported(q))
        {
            RootsOverQ = new double[ringDegree];
            InverseRootsOverQ = new double[ringDegree];
            for (int i = 0; i < ringDegree; i++)
            {
                RootsOverQ[i] = (double)Roots[i] / q;
                InverseRootsOverQ[i] = (double)InverseRoots[i] / q;
            }
        }

        if (VectorModular.IsSupported(q) && ringDegree >= 16)
        {
            ForwardLaneTwiddles = new ulong[3][];
            ForwardLaneTwiddlesOverQ = new double[3][];
            InverseLaneTwiddles = new ulong[3][];
            InverseLaneTwiddlesOverQ = new double[3][];
            for (int stage = 0; stage < 3; stage++)
            {
                int t = 1 << stage;
                int m = ringDegree / (2 * t);
                int butterflies = ringDegree / 2;
                ForwardLaneTwiddles[stage] = new ulong[butterflies];
                ForwardLaneTwiddlesOverQ[stage] = new double[butterflies];
                InverseLaneTwiddles[stage] = new ulong[butterflies];
                InverseLaneTwiddlesOverQ[stage] = new double[butterflies];
                for (int b = 0; b < butterflies; b++)
                {
                    // Lane b % 8 of the chunk of sixteen values b / 8 runs butterfly LaneButterfly(t, b % 8) of that chunk.
                    int butterfly = (b & ~7) + LaneButterfly(t, b & 7);
                    ulong w = Roots[m + butterfly / t];
                    ulong wi = InverseRoots[m + butterfly / t];
                    ForwardLaneTwiddles[stage][b] = w;
                    ForwardLaneTwiddlesOverQ[stage][b] = (double)w / q;
                    InverseLaneTwiddles[stage][b] = wi;
                    InverseLaneTwiddlesOverQ[stage][b] = (double)wi / q;
                }
            }
        }
    }

    /// <summary>
    /// For the vectorized stages with half-block t = 1, 2, 4 (index log2 t): the twiddle of each butterfly, in
    /// butterfly order, so eight butterflies of different blocks can run in one vector. Null without AVX-512.
    /// </summary>
    public ulong[][]? ForwardLaneTwiddles { get; }

    /// <summary>Roots[k] / q as doubles, for the vectorized stages' quotient estimates. Null without AVX-512.</summary>
    public double[]? RootsOverQ { get; }

    /// <summary>InverseRoots[k] / q as doubles. Null without AVX-512.</summary>
    public double[]? InverseRootsOverQ { get; }

    public double[][]? ForwardLaneTwiddlesOverQ { get; }

    public ulong[][]? InverseLaneTwiddles { get; }

    public double[][]? InverseLaneTwiddlesOverQ { get; }

    public Modulus Modulus { get; }

    public int Degree { get; }

    public int LogDegree { get; }

    /// <summary>The primitive 2N-th root of unity the tables are built on.</summary>
    public ulong Psi { get; }

    /// <summary>Roots[k] = psi^bitreverse(k).</summary>
    public ulong[] Roots { get; }

    public ulong[] RootsShoup { get; }

    /// <summary>InverseRoots[k] = psi^-bitreverse(k).</summary>
    public ulong[] InverseRoots { get; }

    public ulong[] InverseRootsShoup { get; }

    public ulong DegreeInverse { get; }

    public ulong DegreeInverseShoup { get; }

    /// <summary>InverseRoots[1] * N^-1 mod q: the twiddle of the last inverse stage with the final scaling folded in.</summary>
    public ulong LastInverseRootTimesDegreeInverse { get; }

    /// <summary>
    /// Which of the eight butterflies of a chunk of sixteen values lane <paramref name="lane"/> runs in the vectorized
    /// narrow stage with half-block <paramref name="t"/>: in order, except for t = 1, whose interleaving unpack puts
    /// the first vector's butterflies in the even lanes and the second vector's in the odd lanes.
    /// </summary>
    public static int LaneButterfly(int t, int lane) => t == 1 ? (lane & 1) * 4 + (lane >> 1) : lane;

    public static int BitReverse(int value, int bits)
    {
        return (int)(ReverseBits((uint)value) >> (32 - bits));
    }

    private static uint ReverseBits(uint v)
    {
        v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
        v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
        v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
        v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
        return (v >> 16) | (v << 16);
    }
}
