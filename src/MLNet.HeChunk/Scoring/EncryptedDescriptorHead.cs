using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Scoring;

/// <summary>
/// The descriptor head (<see cref="DescriptorHead"/>) on an encrypted descriptor ciphertext: dense, square, dense, each
/// a baby-step/giant-step diagonal product over the descriptor segment (the vector repeats across the slots, so every
/// rotation is cyclic within a segment and no diagonal needs splitting). Consumes <see cref="DescriptorPacking.RequiredDepth"/>
/// levels; the second layer's plaintexts are encoded at the scale that makes the result's scale equal a given target,
/// so the head's logits can be added to the chunk branch's.
/// </summary>
internal sealed class EncryptedDescriptorHead
{
    private readonly DescriptorHead _head;
    private readonly CkksParameters _parameters;
    private readonly Evaluator _evaluator;
    private readonly CkksEncoder _encoder;
    private readonly ParallelOptions _options;
    private readonly int _slots;
    private readonly int _segment;
    private readonly int _baby;
    // Encoded diagonals per (layer, level, plaintext scale): hundreds of encodings, done once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int, double), Lazy<Plaintext?[]>> _diagonals = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int, double), Plaintext> _biases = new();

    public EncryptedDescriptorHead(DescriptorHead head, CkksParameters parameters, Evaluator evaluator, CkksEncoder encoder, int degreeOfParallelism)
    {
        _head = head;
        _parameters = parameters;
        _evaluator = evaluator;
        _encoder = encoder;
        _options = new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism };
        _slots = parameters.SlotCount;
        _segment = DescriptorPacking.SegmentLength(Math.Max(head.InputCount, Math.Max(head.HiddenSize, head.ClassCount)));
        if (_segment > _slots)
            throw new ArgumentException($"the descriptor head ({head.InputCount} -> {head.HiddenSize} -> {head.ClassCount}) does not fit {_slots} slots");
        if (DescriptorPacking.SegmentLength(head.InputCount) != _segment)
            throw new ArgumentException($"the descriptor head's hidden size {head.HiddenSize} and class count {head.ClassCount} must fit the descriptor segment of {DescriptorPacking.SegmentLength(head.InputCount)} slots");
        _baby = ChunkCnnRotations.BabySteps(_segment);
    }

    /// <summary>
    /// The Galois keys the head uses: the baby chain (step 1) at the descriptors' level, the giant step one level down (the second
    /// layer repeats both two levels lower, which the same keys serve).
    /// </summary>
    public IEnumerable<GaloisKeyRequest> KeyRequests
    {
        get
        {
            int level = DescriptorPacking.RequiredDepth;
            if (Math.Min(_baby, _segment) > 1)
            {
                yield return GaloisKeyRequest.Rotation(1, level);
            }

            if (_baby < _segment)
            {
                yield return GaloisKeyRequest.Rotation(_baby, level - 1);
            }
        }
    }

    /// <summary>The length of the descriptor segment the client must pack (<see cref="DescriptorPacking.SegmentLength"/> of the input count).</summary>
    public int InputSegment => DescriptorPacking.SegmentLength(_head.InputCount);

    /// <summary>The head's logits (divided by the logit scale) in the first slots, at <paramref name="targetLevel"/> and <paramref name="targetScale"/>.</summary>
    /// <exception cref="InvalidDataException">The ciphertext is below the level the head consumes, or above what the target allows.</exception>
    public Ciphertext Evaluate(Ciphertext descriptors, int targetLevel, double targetScale)
    {
        if (descriptors.Level < DescriptorPacking.RequiredDepth || descriptors.Level - DescriptorPacking.RequiredDepth < targetLevel)
        {
            throw new InvalidDataException(
                $"the descriptor ciphertext is at level {descriptors.Level}; the head consumes {DescriptorPacking.RequiredDepth} levels and must end at level {targetLevel} or above");
        }

        Ciphertext x = descriptors;
        // Layer 1: plaintexts at the level's prime, so the rescale brings the scale back exactly.
        Ciphertext hidden = Dense(1, x, _head.Fc1Weights, _head.HiddenSize, _head.InputCount, _parameters.Q[x.Level]);
        hidden = _evaluator.AddPlain(hidden, Bias(1, hidden, _head.Fc1Bias));
        hidden = _evaluator.Rescale(_evaluator.Relinearize(_evaluator.Square(hidden)));
        // Layer 2: plaintext scale chosen so that after the rescale the scale is the target's.
        double plaintextScale = targetScale * _parameters.Q[hidden.Level] / hidden.Scale;
        Ciphertext logits = Dense(2, hidden, _head.Fc2Weights, _head.ClassCount, _head.HiddenSize, plaintextScale);
        logits = _evaluator.AddPlain(logits, Bias(2, logits, _head.Fc2Bias));
        return logits.Level > targetLevel ? _evaluator.DropToLevel(logits, targetLevel) : logits;
    }

    /// <summary>A layer's bias, repeated in every segment, encoded at <paramref name="target"/>'s level and scale (once).</summary>
    private Plaintext Bias(int layer, Ciphertext target, IReadOnlyList<double> bias) =>
        _biases.GetOrAdd((layer, target.Level, target.Scale), _ => _encoder.Encode(Periodic(bias), target.Level, target.Scale));

    /// <summary>A vector repeated in every segment of the slots.</summary>
    private double[] Periodic(IReadOnlyList<double> values) => BabyStepGiantStep.Periodic(values, _segment, _slots);

    /// <summary>y = M x on a segment-periodic x (rows x columns matrix, row-major), rescaled once at the end of each giant group.</summary>
    private Ciphertext Dense(int layer, Ciphertext x, double[] matrix, int rows, int columns, double plaintextScale)
    {
        Plaintext?[] diagonals = _diagonals.GetOrAdd((layer, x.Level, plaintextScale), _ => new Lazy<Plaintext?[]>(() =>
        {
            var encoded = new Plaintext?[_segment];
            Parallel.For(0, _segment, _options, d =>
            {
                double[]? diagonal = Diagonal(matrix, rows, columns, d / _baby, d % _baby);
                encoded[d] = diagonal is null ? null : _encoder.Encode(diagonal, x.Level, plaintextScale);
            });
            return encoded;
        })).Value;
        Ciphertext[] babies = BabyStepGiantStep.Babies(_evaluator, x, Math.Min(_baby, _segment), 1);
        int giants = _segment / _baby;
        var parts = new Ciphertext?[giants];
        Parallel.For(0, giants, _options, g => parts[g] = BabyStepGiantStep.Group(_evaluator, diagonals, babies, _baby, g));
        return BabyStepGiantStep.Horner(_evaluator, parts, _baby)
            ?? _evaluator.Rescale(_evaluator.MultiplyPlain(x, _encoder.Encode(new double[_slots], x.Level, plaintextScale)));
    }

    /// <summary>
    /// Diagonal d = g * baby + b, pre-rotated by -g * baby: slot i holds M[r][(r + d) mod seg] for r = (i - g * baby) mod seg;
    /// null when all zero.
    /// </summary>
    private double[]? Diagonal(double[] matrix, int rows, int columns, int g, int b)
    {
        int d = g * _baby + b;
        var vector = new double[_slots];
        bool any = false;
        for (int i = 0; i < _segment; i++)
        {
            int row = ((i - g * _baby) % _segment + _segment) % _segment;
            int column = (row + d) % _segment;
            if (row >= rows || column >= columns || matrix[row * columns + column] == 0)
                continue;
            double value = matrix[row * columns + column];
            for (int copy = i; copy < _slots; copy += _segment)
                vector[copy] = value;
            any = true;
        }

        return any ? vector : null;
    }
}
