namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// A polynomial of Z[X]/(X^N + 1) in residue-number-system form: one row of N residues per prime, stored
/// contiguously. Which primes the rows belong to is the owner's business (a ciphertext at level l uses q_0..q_l;
/// a key uses q_0..q_L followed by the special primes), so dropping a level is just forgetting the last row.
/// </summary>
internal sealed class RnsPoly
{
    public RnsPoly(int degree, int residueCount)
    {
        Degree = degree;
        ResidueCount = residueCount;
        Coefficients = new ulong[checked(degree * residueCount)];
    }

    private RnsPoly(int degree, int residueCount, ulong[] coefficients)
    {
        // Rented arrays may be longer than needed; only the first residueCount rows are used.
        Degree = degree;
        ResidueCount = residueCount;
        Coefficients = coefficients;
    }

    public int Degree { get; }

    /// <summary>Number of residue rows in use (may be below the capacity after a level drop).</summary>
    public int ResidueCount { get; private set; }

    /// <summary>Row-major storage; rows beyond <see cref="ResidueCount"/> are stale and never read.</summary>
    public ulong[] Coefficients { get; }

    public Span<ulong> Residue(int index)
    {
        if ((uint)index >= (uint)ResidueCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"residue {index} of a polynomial with {ResidueCount}");
        }

        return Coefficients.AsSpan(index * Degree, Degree);
    }

    public Span<ulong> AllResidues => Coefficients.AsSpan(0, ResidueCount * Degree);

    /// <summary>Forget the last rows (they are dropped primes).</summary>
    public void Truncate(int residueCount)
    {
        if (residueCount < 1 || residueCount > ResidueCount)
        {
            throw new ArgumentOutOfRangeException(nameof(residueCount));
        }

        ResidueCount = residueCount;
    }

    /// <summary>This polynomial re-sized to <paramref name="rows"/> rows when its storage allows, else a new one.</summary>
    public RnsPoly WithRows(int rows)
    {
        if (Coefficients.Length >= rows * Degree)
        {
            ResidueCount = rows;
            return this;
        }

        return new RnsPoly(Degree, rows);
    }

    public RnsPoly Clone()
    {
        var copy = new RnsPoly(Degree, ResidueCount);
        AllResidues.CopyTo(copy.Coefficients);
        return copy;
    }

    /// <summary>A copy with only the first <paramref name="residueCount"/> rows.</summary>
    public RnsPoly CloneTruncated(int residueCount)
    {
        if (residueCount > ResidueCount)
        {
            throw new ArgumentOutOfRangeException(nameof(residueCount));
        }

        var copy = new RnsPoly(Degree, residueCount);
        Coefficients.AsSpan(0, residueCount * Degree).CopyTo(copy.Coefficients);
        return copy;
    }

    public void CopyTo(RnsPoly destination)
    {
        if (destination.Degree != Degree || destination.Coefficients.Length < ResidueCount * Degree)
        {
            throw new ArgumentException("destination polynomial is too small");
        }

        AllResidues.CopyTo(destination.Coefficients);
        destination.ResidueCount = ResidueCount;
    }

    /// <summary>
    /// A scratch polynomial on storage rented from the shared array pool (contents undefined). Large temporaries of
    /// key switching would otherwise land on the large-object heap and trigger full garbage collections.
    /// Give it back with <see cref="ReturnToPool"/> and never let it escape into a user-visible object.
    /// </summary>
    public static RnsPoly Rent(int degree, int residueCount)
        => new(degree, residueCount, System.Buffers.ArrayPool<ulong>.Shared.Rent(degree * residueCount));

    /// <summary>Returns rented storage; the polynomial must not be used afterwards.</summary>
    public void ReturnToPool() => System.Buffers.ArrayPool<ulong>.Shared.Return(Coefficients);

    /// <summary>Wraps existing storage (used by deserialization after validation).</summary>
    public static RnsPoly FromCoefficients(int degree, int residueCount, ulong[] coefficients)
    {
        if (coefficients.Length != degree * residueCount)
        {
            throw new ArgumentException("coefficient count does not match degree * residues");
        }

        return new RnsPoly(degree, residueCount, coefficients);
    }
}
