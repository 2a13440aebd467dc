using System.Collections.Concurrent;
using System.Numerics;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Scoring;

/// <summary>
/// The convolution of every encrypted chunk and filter, on the plane pairs of <see cref="PlaneLayout"/> (each
/// convolution input sent once, two to a complex slot). Output feature (c, position) of chunk e sits at slot
/// e * segment + c * positions + position and needs the rows j of the same segment and position, weighted by the
/// kernel: a product of a (filters x rows) matrix with every (chunk, position) column at once. By the diagonal
/// method over the row offset t = j - c (rotation by t * positions), written as u = t + shift >= 0 so every rotation
/// is to the left:
/// <code>
/// conv = rotate( sum_m sum_u D[m, u] * rotate(z_m, u * positions), -shift * positions ),   then Re() = (w + conj(w)) / 2
/// </code>
/// with baby steps b (u = g * baby + b; a chain of rotations by one row of each input ciphertext at the top level: one key) and the giant groups
/// added by Horner's rule one level down. Slot (re, im) of pair p holds planes 2p and 2p + 1, so the complex weight
/// (k[c, 2p] - i k[c, 2p+1]) / 2 makes the real part of the product the two planes' contribution; one conjugation at
/// the end drops the imaginary parts. With the paper's shape: 6 baby rotations, 7 Horner rotations, one rotation by
/// minus a segment and one conjugation, all at level L, 64 plaintext products and one rescale.
/// </summary>
internal sealed class EncryptedConvolution
{
    private readonly FoldedConvolution _convolution;
    private readonly CkksParameters _parameters;
    private readonly Evaluator _evaluator;
    private readonly CkksEncoder _encoder;
    private readonly ParallelOptions _options;
    private readonly int _channels;
    private readonly int _kernelArea;
    // Encoded diagonals per (ciphertext count, level): 64 encodings for the paper's shape, done once.
    private readonly ConcurrentDictionary<(int, int), Lazy<Plaintext?[][]>> _diagonals = new();

    public EncryptedConvolution(FoldedConvolution convolution, PlaneLayout layout, CkksParameters parameters, Evaluator evaluator, CkksEncoder encoder, ParallelOptions options)
    {
        _convolution = convolution;
        _parameters = parameters;
        _evaluator = evaluator;
        _encoder = encoder;
        _options = options;
        Layout = layout;
        _channels = layout.Packing.Channels;
        _kernelArea = layout.Packing.PlaneCount;
        Schedule = ConvolutionSchedule.For(layout);
    }

    /// <summary>The layout of a full image (the maximal encrypted chunk count); ciphertext counts do not depend on it.</summary>
    public PlaneLayout Layout { get; }

    public ConvolutionSchedule Schedule { get; }

    /// <summary>The convolution (without bias) of the ciphertexts, rescaled once: level one below theirs, their scale.</summary>
    public Ciphertext Evaluate(IReadOnlyList<Ciphertext> ciphertexts)
    {
        int level = ciphertexts[0].Level;
        Plaintext?[][] diagonals = _diagonals.GetOrAdd((ciphertexts.Count, level),
            key => new Lazy<Plaintext?[][]>(() => EncodeDiagonals(key.Item1, key.Item2))).Value;
        int baby = Schedule.Baby;
        var babies = new Ciphertext[ciphertexts.Count][];
        Parallel.For(0, ciphertexts.Count, _options, m =>
            babies[m] = BabyStepGiantStep.Babies(_evaluator, ciphertexts[m], baby, Schedule.Unit));
        var groups = new Ciphertext?[Schedule.GiantCount];
        Parallel.For(0, groups.Length, _options, g =>
        {
            Ciphertext? sum = null;
            for (int m = 0; m < ciphertexts.Count; m++)
            {
                sum = BabyStepGiantStep.AccumulateProducts(_evaluator, sum, diagonals[m], babies[m], baby, g);
            }

            groups[g] = sum;
        });
        Ciphertext combined = BabyStepGiantStep.Horner(_evaluator, groups, Schedule.GiantStep)
            ?? throw new InvalidOperationException("the convolution kernel is all zero");
        if (Schedule.FinalStep != 0)
        {
            combined = _evaluator.Rotate(combined, Schedule.FinalStep);
        }

        // Real part: the diagonals carry a factor 1/2, so w + conj(w) is the sum of both planes of every pair. Everything
        // so far ran at the top level on unrescaled products: a single rescale at the end adds its rounding noise once
        // (rescaling each giant group, then rotating one level down, measured 12 bits against 16 here).
        _evaluator.Add(combined, _evaluator.Conjugate(combined), combined);
        return _evaluator.Rescale(combined);
    }

    /// <summary>
    /// Diagonal (m, u) pre-rotated for its giant group: slot i holds, for the output slot s = i - g * baby * unit +
    /// (shift - first offset) * unit, the weight of input row j = c + u - shift of ciphertext m, where (c, position) is s's feature.
    /// </summary>
    private Plaintext?[][] EncodeDiagonals(int ciphertexts, int level)
    {
        PlaneLayout layout = Layout;
        int slots = layout.SlotCount, unit = Schedule.Unit, baby = Schedule.Baby;
        int count = Schedule.GiantCount * baby;
        var result = new Plaintext?[ciphertexts][];
        double scale = _parameters.Q[level];
        for (int m = 0; m < ciphertexts; m++)
        {
            var encoded = new Plaintext?[count];
            int ciphertext = m;
            Parallel.For(0, count, _options, index =>
            {
                int u = Schedule.FirstOffset + index;
                int g = index / baby;
                var vector = new Complex[slots];
                bool any = false;
                for (int i = 0; i < slots; i++)
                {
                    int s = ((i - g * baby * unit - (Schedule.FirstOffset - Schedule.Shift) * unit) % slots + slots) % slots;
                    int within = s % layout.SegmentLength;
                    int channel = within / layout.Positions;
                    if (channel >= _channels)
                    {
                        continue;
                    }

                    int row = channel + u - Schedule.Shift;
                    int pair = ciphertext * layout.RowsPerSegment + row;
                    if (row < 0 || row >= layout.RowsPerSegment || pair >= layout.PairCount)
                    {
                        continue;
                    }

                    double real = Weight(channel, 2 * pair), imaginary = Weight(channel, 2 * pair + 1);
                    if (real == 0 && imaginary == 0)
                    {
                        continue;
                    }

                    vector[i] = new Complex(real / 2, -imaginary / 2);
                    any = true;
                }

                // Encoded at the level's prime, so the rescale after the products restores the data's scale exactly.
                encoded[index] = any ? _encoder.Encode(vector, level, scale) : null;
            });
            result[m] = encoded;
        }

        return result;
    }

    private double Weight(int channel, int plane) => plane < _kernelArea ? _convolution.Kernel[channel * _kernelArea + plane] : 0;
}

/// <summary>
/// The rotation schedule of <see cref="EncryptedConvolution"/>: offsets u = FirstOffset .. FirstOffset + GiantCount *
/// Baby - 1 in units of a row (<see cref="Unit"/> slots), baby rotations by b * Unit (a chain), giant step Baby * Unit
/// by Horner's rule; the shift and the first giant group's offset are undone by a final rotation, or, when they
/// amount to whole segments, left in place: chunk e's features then sit in segment e + SegmentShift.
/// </summary>
internal sealed record ConvolutionSchedule(int Unit, int Shift, int FirstOffset, int Baby, int GiantCount, int GiantStep, int FinalStep, int SegmentShift)
{
    public static ConvolutionSchedule For(PlaneLayout layout)
    {
        int unit = layout.Positions;
        int channels = layout.Packing.Channels;
        int rows = layout.RowsPerSegment;
        // Offsets t = j - c run from -(channels - 1) to rows - 1. Shifting by a whole segment (rows * unit slots) when
        // that is enough makes the final rotation "minus one segment", a step FC1 needs anyway.
        int shift = rows * unit == layout.SegmentLength && rows >= channels - 1 ? rows : channels - 1;
        int first = shift - (channels - 1);
        int span = rows + channels - 1;
        // Baby count: a power of two near sqrt(span / 2) balances the baby rotations of two ciphertexts at the top
        // level against the giant rotations one level down (4 for the paper's 31 offsets).
        int baby = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, (int)Math.Ceiling(Math.Sqrt(span / 2.0))));
        int firstGroup = first / baby;
        int lastGroup = (first + span - 1) / baby;
        int giants = lastGroup - firstGroup + 1;
        // Without a final rotation, chunk e's features land where the shift left them. When that offset is a whole
        // number of segments (minus one segment for the paper's shape), they stay there: the later layers treat every
        // segment alike, so relabelling the segments saves a rotation and a top-level Galois key.
        int offset = (firstGroup * baby - shift) * unit;
        return offset % layout.SegmentLength == 0
            ? new ConvolutionSchedule(unit, shift, firstGroup * baby, baby, giants, baby * unit, 0, offset / layout.SegmentLength)
            : new ConvolutionSchedule(unit, shift, firstGroup * baby, baby, giants, baby * unit, (offset % layout.SlotCount + layout.SlotCount) % layout.SlotCount, 0);
    }

    /// <summary>The rotation steps, all used at the ciphertexts' level (plus the conjugation).</summary>
    public IEnumerable<int> KeySteps => (Baby > 1 ? [Unit] : Array.Empty<int>()).Concat(FinalStep == 0 ? [GiantStep] : [GiantStep, FinalStep]);

    /// <summary>
    /// Slot of feature <paramref name="feature"/> (c * positions + position) of encrypted chunk <paramref name="ordinal"/>
    /// in the convolution's output: segment ordinal + <see cref="SegmentShift"/> (cyclically).
    /// </summary>
    public int FeatureSlot(PlaneLayout layout, int ordinal, int feature) =>
        ((ordinal + SegmentShift) % layout.SegmentCount + layout.SegmentCount) % layout.SegmentCount * layout.SegmentLength + feature;
}
