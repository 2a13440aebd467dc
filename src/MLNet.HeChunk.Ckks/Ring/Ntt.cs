using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLNet.HeChunk.Ckks.Ring;

/// <summary>
/// In-place negacyclic number-theoretic transform with Harvey's lazy butterflies: values travel in [0, 4q) between
/// stages and are fully reduced only once at the end, which saves a comparison per butterfly.
/// Forward: Cooley-Tukey, natural order in, bit-reversed order out (output k is the evaluation at
/// psi^(2*bitreverse(k)+1)). Inverse: Gentleman-Sande, bit-reversed in, natural out, scaled by 1/N.
/// </summary>
internal static class Ntt
{
    public static void Forward(Span<ulong> values, NttTables tables) => Forward(values, tables, allowVector: true);

    /// <summary>The forward transform; <paramref name="allowVector"/> false forces the scalar code (for tests).</summary>
    internal static void Forward(Span<ulong> values, NttTables tables, bool allowVector)
    {
        int n = tables.Degree;
        if (values.Length != n)
        {
            throw new ArgumentException($"expected {n} coefficients, got {values.Length}");
        }

        ulong q = tables.Modulus.Value;
        ulong twoQ = q << 1;
        ReadOnlySpan<ulong> roots = tables.Roots;
        ReadOnlySpan<ulong> rootsShoup = tables.RootsShoup;
        bool vector = allowVector && VectorModular.IsSupported(q);
        int t = n;
        for (int m = 1; m < n; m <<= 1)
        {
            t >>= 1;
            if (vector && t >= 8)
            {
                ForwardStageVector(values, roots, tables.RootsOverQ!, m, t, q);
                continue;
            }

            if (vector && tables.ForwardLaneTwiddles is not null)
            {
                SmallStage(values, tables.ForwardLaneTwiddles, tables.ForwardLaneTwiddlesOverQ!, t, q, forward: true);
                continue;
            }

            for (int i = 0; i < m; i++)
            {
                ulong w = roots[m + i];
                ulong wShoup = rootsShoup[m + i];
                ref ulong x = ref Unsafe.Add(ref MemoryMarshal.GetReference(values), 2 * i * t);
                ref ulong y = ref Unsafe.Add(ref x, t);
                for (int j = 0; j < t; j++)
                {
                    ulong u = Unsafe.Add(ref x, j);
                    u = u >= twoQ ? u - twoQ : u;
                    ulong v = Modulus.MulShoupLazy(Unsafe.Add(ref y, j), w, wShoup, q);
                    Unsafe.Add(ref x, j) = u + v;
                    Unsafe.Add(ref y, j) = u - v + twoQ;
                }
            }
        }

        int start = 0;
        if (vector)
        {
            var qv = Vector512.Create(q);
            var twoQv = Vector512.Create(twoQ);
            ref ulong r = ref MemoryMarshal.GetReference(values);
            for (; start + 8 <= values.Length; start += 8)
            {
                Vector512<ulong> u = Vector512.LoadUnsafe(ref r, (nuint)start);
                u = Vector512.Min(u, u - twoQv);
                Vector512.Min(u, u - qv).StoreUnsafe(ref r, (nuint)start);
            }
        }

        for (int j = start; j < values.Length; j++)
        {
            ulong u = values[j];
            u = u >= twoQ ? u - twoQ : u;
            values[j] = u >= q ? u - q : u;
        }
    }

    public static void Inverse(Span<ulong> values, NttTables tables) => Inverse(values, tables, allowVector: true);

    /// <summary>The inverse transform; <paramref name="allowVector"/> false forces the scalar code (for tests).</summary>
    internal static void Inverse(Span<ulong> values, NttTables tables, bool allowVector)
    {
        int n = tables.Degree;
        if (values.Length != n)
        {
            throw new ArgumentException($"expected {n} coefficients, got {values.Length}");
        }

        ulong q = tables.Modulus.Value;
        ulong twoQ = q << 1;
        ReadOnlySpan<ulong> roots = tables.InverseRoots;
        ReadOnlySpan<ulong> rootsShoup = tables.InverseRootsShoup;
        bool vector = allowVector && VectorModular.IsSupported(q);
        int t = 1;
        for (int m = n >> 1; m >= 1; m >>= 1)
        {
            if (vector && t >= 8)
            {
                if (m == 1)
                {
                    // The last stage also multiplies by 1/N (folded into its twiddle): no separate scaling pass.
                    InverseLastStageScaled(values, tables, q);
                    return;
                }

                InverseStageVector(values, roots, tables.InverseRootsOverQ!, m, t, q);
                t <<= 1;
                continue;
            }

            if (vector && tables.InverseLaneTwiddles is not null)
            {
                SmallStage(values, tables.InverseLaneTwiddles, tables.InverseLaneTwiddlesOverQ!, t, q, forward: false);
                t <<= 1;
                continue;
            }

            for (int i = 0; i < m; i++)
            {
                ulong w = roots[m + i];
                ulong wShoup = rootsShoup[m + i];
                ref ulong x = ref Unsafe.Add(ref MemoryMarshal.GetReference(values), 2 * i * t);
                ref ulong y = ref Unsafe.Add(ref x, t);
                for (int j = 0; j < t; j++)
                {
                    // Inputs in [0, 2q): the sum is folded back below 2q, the difference goes through Shoup.
                    ulong u = Unsafe.Add(ref x, j);
                    ulong v = Unsafe.Add(ref y, j);
                    ulong s = u + v;
                    Unsafe.Add(ref x, j) = s >= twoQ ? s - twoQ : s;
                    Unsafe.Add(ref y, j) = Modulus.MulShoupLazy(u - v + twoQ, w, wShoup, q);
                }
            }

            t <<= 1;
        }

        ulong nInv = tables.DegreeInverse;
        ulong nInvShoup = tables.DegreeInverseShoup;
        int first = 0;
        if (vector)
        {
            var qv = Vector512.Create(q);
            var nInvV = Vector512.Create(nInv);
            var nInvOverQ = Vector512.Create((double)nInv / q);
            ref ulong r = ref MemoryMarshal.GetReference(values);
            for (; first + 8 <= values.Length; first += 8)
            {
                Vector512<ulong> u = VectorModular.MulConstantLazy(Vector512.LoadUnsafe(ref r, (nuint)first), nInvV, nInvOverQ, qv);
                VectorModular.ReduceOnce(u, qv).StoreUnsafe(ref r, (nuint)first);
            }
        }

        for (int j = first; j < values.Length; j++)
        {
            ulong u = Modulus.MulShoupLazy(values[j], nInv, nInvShoup, q);
            values[j] = u >= q ? u - q : u;
        }
    }

    /// <summary>One Cooley-Tukey stage on eight lanes; every lane of a block shares the twiddle.</summary>
    private static void ForwardStageVector(Span<ulong> values, ReadOnlySpan<ulong> roots, ReadOnlySpan<double> rootsOverQ, int m, int t, ulong q)
    {
        var qv = Vector512.Create(q);
        var twoQ = Vector512.Create(q << 1);
        ref ulong start = ref MemoryMarshal.GetReference(values);
        for (int i = 0; i < m; i++)
        {
            ulong w = roots[m + i];
            var wv = Vector512.Create(w);
            var wOverQ = Vector512.Create(rootsOverQ[m + i]);
            ref ulong x = ref Unsafe.Add(ref start, 2 * i * t);
            ref ulong y = ref Unsafe.Add(ref x, t);
            for (int j = 0; j < t; j += 8)
            {
                Vector512<ulong> u = Vector512.LoadUnsafe(ref x, (nuint)j);
                u = Vector512.Min(u, u - twoQ);
                Vector512<ulong> v = VectorModular.MulConstantLazy(Vector512.LoadUnsafe(ref y, (nuint)j), wv, wOverQ, qv);
                (u + v).StoreUnsafe(ref x, (nuint)j);
                (u - v + twoQ).StoreUnsafe(ref y, (nuint)j);
            }
        }
    }

    /// <summary>One Gentleman-Sande stage on eight lanes.</summary>
    private static void InverseStageVector(Span<ulong> values, ReadOnlySpan<ulong> roots, ReadOnlySpan<double> rootsOverQ, int m, int t, ulong q)
    {
        var qv = Vector512.Create(q);
        var twoQ = Vector512.Create(q << 1);
        ref ulong start = ref MemoryMarshal.GetReference(values);
        for (int i = 0; i < m; i++)
        {
            ulong w = roots[m + i];
            var wv = Vector512.Create(w);
            var wOverQ = Vector512.Create(rootsOverQ[m + i]);
            ref ulong x = ref Unsafe.Add(ref start, 2 * i * t);
            ref ulong y = ref Unsafe.Add(ref x, t);
            for (int j = 0; j < t; j += 8)
            {
                Vector512<ulong> u = Vector512.LoadUnsafe(ref x, (nuint)j);
                Vector512<ulong> v = Vector512.LoadUnsafe(ref y, (nuint)j);
                Vector512<ulong> s = u + v;
                Vector512.Min(s, s - twoQ).StoreUnsafe(ref x, (nuint)j);
                VectorModular.MulConstantLazy(u - v + twoQ, wv, wOverQ, qv).StoreUnsafe(ref y, (nuint)j);
            }
        }
    }

    // Lane indices (into the 16 lanes of two consecutive vectors) of the butterflies' upper and lower inputs for
    // half-block sizes 1, 2 and 4; the same vectors, used on (X, Y), interleave the results back.
    private static readonly Vector512<ulong>[] UpperLanes =
    [
        Vector512.Create(0UL, 2, 4, 6, 8, 10, 12, 14),
        Vector512.Create(0UL, 1, 4, 5, 8, 9, 12, 13),
        Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11),
    ];

    private static readonly Vector512<ulong>[] LowerLanes =
    [
        Vector512.Create(1UL, 3, 5, 7, 9, 11, 13, 15),
        Vector512.Create(2UL, 3, 6, 7, 10, 11, 14, 15),
        Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15),
    ];

    private static readonly Vector512<ulong>[] FirstOutLanes =
    [
        Vector512.Create(0UL, 8, 1, 9, 2, 10, 3, 11),
        Vector512.Create(0UL, 1, 8, 9, 2, 3, 10, 11),
        Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11),
    ];

    private static readonly Vector512<ulong>[] SecondOutLanes =
    [
        Vector512.Create(4UL, 12, 5, 13, 6, 14, 7, 15),
        Vector512.Create(4UL, 5, 12, 13, 6, 7, 14, 15),
        Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15),
    ];

    /// <summary>
    /// A stage whose blocks are narrower than a vector (half-block t = 1, 2, 4): gather eight butterflies' inputs
    /// from sixteen consecutive values with two-source permutes, run them with per-lane twiddles, scatter back.
    /// </summary>
    private static void SmallStage(Span<ulong> values, ulong[][] laneTwiddles, double[][] laneTwiddlesOverQ, int t, ulong q, bool forward)
    {
        // The cheapest lane moves for each width (measured: 13-20 % less than two-source permutes for t = 4 and 1):
        // t = 4 takes 256-bit halves (vshufi64x2), t = 1 interleaves qwords (vpunpck[lh]qdq, whose lane order the
        // t = 1 twiddle table follows), t = 2 uses two-source permutes.
        switch (t)
        {
            case 4:
                SmallStage(values, laneTwiddles[2], laneTwiddlesOverQ[2], q, forward, default(HalvesMove));
                break;
            case 1:
                SmallStage(values, laneTwiddles[0], laneTwiddlesOverQ[0], q, forward, default(InterleaveMove));
                break;
            default:
                SmallStage(values, laneTwiddles[1], laneTwiddlesOverQ[1], q, forward, new PermuteMove(1));
                break;
        }
    }

    private static void SmallStage<TMove>(Span<ulong> values, ulong[] laneTwiddles, double[] laneTwiddlesOverQ, ulong q, bool forward, TMove move)
        where TMove : struct, ILaneMove
    {
        var qv = Vector512.Create(q);
        var twoQ = Vector512.Create(q << 1);
        ref ulong start = ref MemoryMarshal.GetReference(values);
        ref ulong w = ref MemoryMarshal.GetArrayDataReference(laneTwiddles);
        ref double wOverQ = ref MemoryMarshal.GetArrayDataReference(laneTwiddlesOverQ);
        for (int k = 0; k < values.Length; k += 16)
        {
            Vector512<ulong> v0 = Vector512.LoadUnsafe(ref start, (nuint)k);
            Vector512<ulong> v1 = Vector512.LoadUnsafe(ref start, (nuint)(k + 8));
            Vector512<ulong> x = move.Upper(v0, v1);
            Vector512<ulong> y = move.Lower(v0, v1);
            Vector512<ulong> wv = Vector512.LoadUnsafe(ref w, (nuint)(k >> 1));
            Vector512<double> wq = Vector512.LoadUnsafe(ref wOverQ, (nuint)(k >> 1));
            Vector512<ulong> outX, outY;
            if (forward)
            {
                Vector512<ulong> u = Vector512.Min(x, x - twoQ);
                Vector512<ulong> v = VectorModular.MulConstantLazy(y, wv, wq, qv);
                outX = u + v;
                outY = u - v + twoQ;
            }
            else
            {
                Vector512<ulong> sum = x + y;
                outX = Vector512.Min(sum, sum - twoQ);
                outY = VectorModular.MulConstantLazy(x - y + twoQ, wv, wq, qv);
            }

            move.First(outX, outY).StoreUnsafe(ref start, (nuint)k);
            move.Second(outX, outY).StoreUnsafe(ref start, (nuint)(k + 8));
        }
    }

    /// <summary>
    /// How a narrow stage moves sixteen consecutive values (v0, v1) into the butterflies' upper and lower inputs and
    /// back. Lane l of the inputs is butterfly <see cref="NttTables.LaneButterfly"/>(t, l) of the sixteen.
    /// </summary>
    private interface ILaneMove
    {
        Vector512<ulong> Upper(Vector512<ulong> v0, Vector512<ulong> v1);

        Vector512<ulong> Lower(Vector512<ulong> v0, Vector512<ulong> v1);

        Vector512<ulong> First(Vector512<ulong> x, Vector512<ulong> y);

        Vector512<ulong> Second(Vector512<ulong> x, Vector512<ulong> y);
    }

    /// <summary>t = 4: the butterflies pair the low and high 256-bit halves of each vector.</summary>
    private readonly struct HalvesMove : ILaneMove
    {
        public Vector512<ulong> Upper(Vector512<ulong> v0, Vector512<ulong> v1) => Avx512F.Shuffle4x128(v0, v1, 0b01_00_01_00);

        public Vector512<ulong> Lower(Vector512<ulong> v0, Vector512<ulong> v1) => Avx512F.Shuffle4x128(v0, v1, 0b11_10_11_10);

        public Vector512<ulong> First(Vector512<ulong> x, Vector512<ulong> y) => Avx512F.Shuffle4x128(x, y, 0b01_00_01_00);

        public Vector512<ulong> Second(Vector512<ulong> x, Vector512<ulong> y) => Avx512F.Shuffle4x128(x, y, 0b11_10_11_10);
    }

    /// <summary>t = 1: the butterflies pair even and odd qwords; unpack interleaves the two vectors' lanes.</summary>
    private readonly struct InterleaveMove : ILaneMove
    {
        public Vector512<ulong> Upper(Vector512<ulong> v0, Vector512<ulong> v1) => Avx512F.UnpackLow(v0, v1);

        public Vector512<ulong> Lower(Vector512<ulong> v0, Vector512<ulong> v1) => Avx512F.UnpackHigh(v0, v1);

        public Vector512<ulong> First(Vector512<ulong> x, Vector512<ulong> y) => Avx512F.UnpackLow(x, y);

        public Vector512<ulong> Second(Vector512<ulong> x, Vector512<ulong> y) => Avx512F.UnpackHigh(x, y);
    }

    /// <summary>Any width: two-source permutes with the lane tables above.</summary>
    private readonly struct PermuteMove(int stage) : ILaneMove
    {
        private readonly Vector512<ulong> _upper = UpperLanes[stage];
        private readonly Vector512<ulong> _lower = LowerLanes[stage];
        private readonly Vector512<ulong> _first = FirstOutLanes[stage];
        private readonly Vector512<ulong> _second = SecondOutLanes[stage];

        public Vector512<ulong> Upper(Vector512<ulong> v0, Vector512<ulong> v1) => Avx512F.PermuteVar8x64x2(v0, _upper, v1);

        public Vector512<ulong> Lower(Vector512<ulong> v0, Vector512<ulong> v1) => Avx512F.PermuteVar8x64x2(v0, _lower, v1);

        public Vector512<ulong> First(Vector512<ulong> x, Vector512<ulong> y) => Avx512F.PermuteVar8x64x2(x, _first, y);

        public Vector512<ulong> Second(Vector512<ulong> x, Vector512<ulong> y) => Avx512F.PermuteVar8x64x2(x, _second, y);
    }

    /// <summary>
    /// The last inverse stage (one block, half-block N/2) with the scaling by 1/N folded in: the sum is multiplied by
    /// 1/N and the difference by w/N, both fully reduced; the same residues as the stage followed by a scaling pass.
    /// </summary>
    private static void InverseLastStageScaled(Span<ulong> values, NttTables tables, ulong q)
    {
        int t = values.Length >> 1;
        var qv = Vector512.Create(q);
        var twoQ = Vector512.Create(q << 1);
        var nInv = Vector512.Create(tables.DegreeInverse);
        var nInvOverQ = Vector512.Create((double)tables.DegreeInverse / q);
        var wn = Vector512.Create(tables.LastInverseRootTimesDegreeInverse);
        var wnOverQ = Vector512.Create((double)tables.LastInverseRootTimesDegreeInverse / q);
        ref ulong x = ref MemoryMarshal.GetReference(values);
        ref ulong y = ref Unsafe.Add(ref x, t);
        for (int j = 0; j < t; j += 8)
        {
            Vector512<ulong> u = Vector512.LoadUnsafe(ref x, (nuint)j);
            Vector512<ulong> v = Vector512.LoadUnsafe(ref y, (nuint)j);
            Vector512<ulong> s = u + v;
            s = Vector512.Min(s, s - twoQ);
            VectorModular.ReduceOnce(VectorModular.MulConstantLazy(s, nInv, nInvOverQ, qv), qv).StoreUnsafe(ref x, (nuint)j);
            VectorModular.ReduceOnce(VectorModular.MulConstantLazy(u - v + twoQ, wn, wnOverQ, qv), qv).StoreUnsafe(ref y, (nuint)j);
        }
    }
}
