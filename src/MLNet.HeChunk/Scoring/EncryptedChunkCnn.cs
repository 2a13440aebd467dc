using System.Collections.Concurrent;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Scoring;

/// <summary>
/// Evaluates the trained chunk CNN on an encrypted chunk group with evaluation keys only (server side; the brief's
/// EncryptedCnnScorer); the secret key is never needed. Steps, for L the ciphertexts' level (docs/encrypted-cnn.md has
/// the derivation):
/// <list type="number">
/// <item>convolution of every chunk and filter from the plane pairs (<see cref="EncryptedConvolution"/>: rotations by
/// rows, plaintext products, one conjugation; level L-1), plus the bias;</item>
/// <item>square (multiply, relinearize, rescale: L-2): every chunk's 256 features in its own segment;</item>
/// <item>FC1 on every segment at once, as a baby-step/giant-step diagonal product (baby chain, Horner giant steps); the
/// diagonal terms that wrap around the end of a segment are summed apart and moved back by one rotation of minus a
/// segment (L-3); bias, square (L-4);</item>
/// <item>the sum over the chunks (log2 rotations), plus the squared hidden units of the plaintext chunks computed in
/// the clear; FC2 (mean over chunks folded in) on the summed segment (L-5), bias; the descriptor head's logits.</item>
/// </list>
/// The class logits (divided by the model's logit scale) come out in the first slots.
/// </summary>
public sealed class EncryptedChunkCnn
{
    private readonly ChunkCnnWeights _weights;
    private readonly HeChunkKeys _keys;
    private readonly FoldedConvolution _convolution;
    private readonly EncryptedConvolution _encryptedConvolution;
    private readonly PlainChunkCnn _plain;
    private readonly Evaluator _evaluator;
    private readonly CkksEncoder _encoder;
    private readonly int _degreeOfParallelism;
    private readonly int _slots;
    private readonly int _segment;
    private readonly int _baby;
    private readonly EncryptedDescriptorHead? _head;
    // Lazy values: concurrent first calls for the same key encode once (hundreds of encodings) instead of each.
    private readonly ConcurrentDictionary<(int Layer, int Level), Lazy<DenseDiagonals>> _denseDiagonals = new();
    private readonly ConcurrentDictionary<(int Layer, int Encrypted, int Level, double Scale), Plaintext> _biases = new();

    /// <summary>Creates the evaluator.</summary>
    /// <param name="weights">The trained chunk CNN.</param>
    /// <param name="keys">Evaluation keys (a public-only key set is enough).</param>
    /// <param name="degreeOfParallelism">Threads used inside one image's evaluation.</param>
    /// <exception cref="ArgumentException">The keys lack a rotation the model needs (the message names the step), or the geometry does not fit.</exception>
    public EncryptedChunkCnn(ChunkCnnWeights weights, HeChunkKeys keys, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        _weights = weights;
        _keys = keys;
        _degreeOfParallelism = degreeOfParallelism;
        Packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
        _slots = keys.Parameters.SlotCount;
        _segment = Packing.SegmentLength(weights.ChunkSize);
        _baby = ChunkCnnRotations.BabySteps(_segment);
        if (weights.HiddenSize > _segment || weights.ClassCount > _segment)
        {
            throw new ArgumentException($"the dense layers ({weights.FeatureLength} -> {weights.HiddenSize} -> {weights.ClassCount}) must fit a {_segment}-slot segment");
        }

        var fullLayout = new PlaneLayout(Packing, weights.ChunkSize, _slots, weights.ChunkCount);
        _evaluator = new Evaluator(keys.Parameters, keys.RelinearizationKey, keys.GaloisKeys, degreeOfParallelism);
        _encoder = new CkksEncoder(keys.Parameters);
        _head = weights.DescriptorHead is null ? null : new EncryptedDescriptorHead(weights.DescriptorHead, keys.Parameters, _evaluator, _encoder, degreeOfParallelism);
        IReadOnlyList<GaloisKeyRequest> requests = ChunkCnnRotations.KeyRequests(Packing, weights.ChunkSize, _slots, keys.Parameters.MaxLevel);
        RequiredRotationSteps = [.. requests.Where(r => !r.IsConjugation).Select(r => r.Step)];
        foreach (GaloisKeyRequest request in requests.Concat(_head?.KeyRequests ?? []))
        {
            if (!keys.GaloisKeys.Covers(request))
            {
                string what = request.IsConjugation ? "the conjugation" : $"rotation step {request.Step}";
                throw new ArgumentException($"the key set lacks the Galois key for {what} at level {request.MaxLevel} or above, which the encrypted chunk CNN needs; " +
                    "generate keys with HeChunkKeys.GenerateForChunkCnn", nameof(keys));
            }
        }

        int relinearizationLevel = ChunkCnnRotations.RelinearizationLevel(keys.Parameters.MaxLevel);
        if (keys.RelinearizationKey.MaxLevel < relinearizationLevel)
        {
            throw new ArgumentException($"the relinearization key serves levels up to {keys.RelinearizationKey.MaxLevel}; the encrypted chunk CNN squares at level {relinearizationLevel}", nameof(keys));
        }

        _plain = new PlainChunkCnn(weights);
        _convolution = _plain.Convolution;
        _encryptedConvolution = new EncryptedConvolution(_convolution, fullLayout, keys.Parameters, _evaluator, _encoder, Options);
    }

    /// <summary>The slot packing the client must use.</summary>
    public ChunkPacking Packing { get; }

    /// <summary>The rotations this model performs (the Galois keys the client must generate).</summary>
    public IReadOnlyList<int> RequiredRotationSteps { get; }

    /// <summary>Called with each stage's ciphertext (tests use it to measure precision stage by stage).</summary>
    internal Action<string, Ciphertext>? Trace { get; set; }

    /// <summary>The trained weights.</summary>
    public ChunkCnnWeights Weights => _weights;

    /// <summary>Scores one encrypted chunk group.</summary>
    /// <exception cref="InvalidDataException">The group does not fit this model or key set (the message says how).</exception>
    public EncryptedScores Score(EncryptedChunkGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        CheckGroup(group);
        if (group.Ciphertexts.Count == 0)
        {
            return ScoreInTheClear(group);
        }

        var layout = new PlaneLayout(Packing, _weights.ChunkSize, _slots, group.EncryptedChunks.Count);

        // The descriptor head does not depend on the chunk branch: with more than one thread it runs beside it, aimed
        // at the level and scale the chunk branch's logits will have.
        Task<Ciphertext>? head = _head is null ? null : StartHead(RequireDescriptors(group), ExpectedLogitScale(group.Ciphertexts[0]));

        // 1. Convolution of every encrypted chunk and channel (segment e holds chunk e's features), then the bias.
        Ciphertext conv = _encryptedConvolution.Evaluate(group.Ciphertexts);
        conv = _evaluator.AddPlain(conv, Bias(1, layout.EncryptedChunks, conv, () => InEncryptedSegments(layout, ConvolutionBiasPerFeature(layout))));
        Trace?.Invoke("conv", conv);

        // 3. Square: every segment holds one encrypted chunk's squared convolution features.
        Ciphertext features = _evaluator.Rescale(_evaluator.Relinearize(_evaluator.Square(conv)));
        Trace?.Invoke("features", features);

        // 4. FC1 per chunk (the same matrix in every segment), its bias in the used segments only, square.
        Ciphertext hidden = Dense(features, layer: 1);
        hidden = _evaluator.AddPlain(hidden, Bias(2, layout.EncryptedChunks, hidden, () => InEncryptedSegments(layout, _weights.Fc1Bias)));
        Trace?.Invoke("fc1", hidden);
        hidden = _evaluator.Rescale(_evaluator.Relinearize(_evaluator.Square(hidden)));

        // 5. Sum the segments: every segment holds the sum over encrypted chunks; add the plaintext chunks'.
        hidden = _evaluator.RotateAndSum(hidden, _slots / _segment, _segment);
        double[]? plain = PlainHiddenSquareSum(group);
        if (plain is not null)
        {
            hidden = _evaluator.AddPlain(hidden, _encoder.Encode(Periodic(plain), hidden.Level, hidden.Scale));
        }

        Trace?.Invoke("hidden", hidden);

        // 6. FC2 (with the mean over all chunks folded in).
        Ciphertext logits = Dense(hidden, layer: 2);
        logits = _evaluator.AddPlain(logits, Bias(3, 0, logits, () => Periodic(_weights.Fc2Bias)));
        if (head is not null)
        {
            // 7. The descriptor head's logits, at the same level and scale, added.
            _evaluator.Add(logits, head.GetAwaiter().GetResult(), logits);
        }

        return new EncryptedScores(_keys.KeySetId, _weights.ClassCount, _weights.LogitScale, logits);
    }

    private ParallelOptions Options => new() { MaxDegreeOfParallelism = _degreeOfParallelism };

    private Task<Ciphertext> StartHead(Ciphertext descriptors, double scale) => _degreeOfParallelism > 1
        ? Task.Run(() => _head!.Evaluate(descriptors, 0, scale))
        : Task.FromResult(_head!.Evaluate(descriptors, 0, scale));

    /// <summary>
    /// The scale of the chunk branch's logits for input ciphertexts like <paramref name="input"/>: linear layers give the
    /// scale back exactly (plaintexts at the rescaled prime), each square squares it and divides by its level's prime.
    /// </summary>
    private double ExpectedLogitScale(Ciphertext input)
    {
        IReadOnlyList<ulong> q = _keys.Parameters.Q;
        int level = input.Level;
        double afterFirstSquare = input.Scale * input.Scale / q[level - 1];
        return afterFirstSquare * afterFirstSquare / q[level - 3];
    }

    private void CheckGroup(EncryptedChunkGroup group)
    {
        if (group.KeySetId != _keys.KeySetId)
        {
            throw new InvalidDataException($"the chunk group is encrypted under key set {group.KeySetId}; this scorer holds key set {_keys.KeySetId}");
        }

        if (group.Mode == EncryptionMode.WholeImage)
        {
            throw new InvalidDataException(
                "the chunk group was encrypted in WholeImage mode, which exists to compare encryption cost; the encrypted chunk CNN scores " +
                "the FeatureChunks and AllChunks modes, whose plane packing it was designed with");
        }

        if (group.Packing != Packing)
        {
            throw new InvalidDataException($"the chunk group is packed for {group.Packing}; this model needs {Packing}");
        }

        var grid = group.Grid;
        if (grid.ImageHeight != _weights.ImageHeight || grid.ImageWidth != _weights.ImageWidth || grid.ChunkHeight != _weights.ChunkSize || grid.ChunkWidth != _weights.ChunkSize)
        {
            throw new InvalidDataException(
                $"the chunk group holds a {grid.ImageHeight}x{grid.ImageWidth} image in {grid.ChunkHeight}x{grid.ChunkWidth} chunks; the model takes " +
                $"{_weights.ImageHeight}x{_weights.ImageWidth} in {_weights.ChunkSize}x{_weights.ChunkSize}");
        }

        if (group.Ciphertexts.Any(c => c.Level != ChunkPacking.RequiredDepth))
        {
            throw new InvalidDataException(
                $"the chunk ciphertexts are at level {string.Join("/", group.Ciphertexts.Select(c => c.Level).Distinct())}; the model takes them at level " +
                $"{ChunkPacking.RequiredDepth}, the depth it consumes (its keys are made for that level and no higher)");
        }

        int expected = new PlaneLayout(Packing, _weights.ChunkSize, _slots, group.EncryptedChunks.Count).CiphertextCount;
        if (group.Ciphertexts.Count != expected)
        {
            throw new InvalidDataException($"the chunk group carries {group.Ciphertexts.Count} chunk ciphertexts; {group.EncryptedChunks.Count} encrypted chunks take {expected}");
        }

        if (group.DescriptorCiphertext is { } descriptors && descriptors.Level != DescriptorPacking.RequiredDepth)
        {
            throw new InvalidDataException($"the descriptor ciphertext is at level {descriptors.Level}; the descriptor head takes it at level {DescriptorPacking.RequiredDepth}");
        }
    }

    /// <summary>
    /// No chunk is encrypted (feature mode on an image the gate found featureless): the server sees the whole image
    /// anyway, computes the logits in the clear and encrypts them with the public key so the answer has the usual form.
    /// </summary>
    private EncryptedScores ScoreInTheClear(EncryptedChunkGroup group)
    {
        double[] logits = _plain.OutputLayer(PlainHiddenSquareSum(group) ?? new double[_weights.HiddenSize]);
        if (_head is not null)
        {
            // The descriptors stay encrypted: the head runs on them and the clear chunk logits are added as a plaintext.
            Ciphertext head = _head.Evaluate(RequireDescriptors(group), 0, _keys.Parameters.DefaultScale);
            return new EncryptedScores(_keys.KeySetId, _weights.ClassCount, _weights.LogitScale,
                _evaluator.AddPlain(head, _encoder.Encode(logits, head.Level, head.Scale)));
        }

        var encryptor = new Encryptor(_keys.Parameters, _keys.PublicKey);
        return new EncryptedScores(_keys.KeySetId, _weights.ClassCount, _weights.LogitScale,
            encryptor.Encrypt(_encoder.Encode(logits, 0, _keys.Parameters.DefaultScale)));
    }

    private static Ciphertext RequireDescriptors(EncryptedChunkGroup group) =>
        group.DescriptorCiphertext ?? throw new InvalidDataException(
            "the model has a texture-descriptor head, but the chunk group carries no encrypted descriptors; encrypt with the descriptors column (PrepareChunks adds it)");

    /// <summary>
    /// <paramref name="values"/> laid into the segment of every encrypted chunk (local slot j holds values[j]); zero
    /// elsewhere, so unused segments and slots past the values stay zero.
    /// </summary>
    private double[] InEncryptedSegments(PlaneLayout layout, IReadOnlyList<double> values)
    {
        var vector = new double[_slots];
        for (int e = 0; e < layout.EncryptedChunks; e++)
        {
            for (int j = 0; j < values.Count; j++)
            {
                vector[_encryptedConvolution.Schedule.FeatureSlot(layout, e, j)] = values[j];
            }
        }

        return vector;
    }

    /// <summary>
    /// A layer's bias vector encoded at <paramref name="target"/>'s level and scale, once per <paramref name="encryptedChunks"/>
    /// (the count the vector depends on; 0 for a bias repeated in every segment).
    /// </summary>
    private Plaintext Bias(int layer, int encryptedChunks, Ciphertext target, Func<double[]> vector) =>
        _biases.GetOrAdd((layer, encryptedChunks, target.Level, target.Scale), _ => _encoder.Encode(vector(), target.Level, target.Scale));

    /// <summary>The folded convolution bias of every feature of a chunk, in the layout's feature order.</summary>
    private double[] ConvolutionBiasPerFeature(PlaneLayout layout)
    {
        int o = layout.ConvOutputSize;
        var bias = new double[layout.FeatureLength];
        for (int c = 0; c < _weights.Channels; c++)
        {
            for (int p = 0; p < o * o; p++)
            {
                bias[layout.Feature(c, p / o, p % o)] = _convolution.Bias[c];
            }
        }

        return bias;
    }

    /// <summary>Sum over the plaintext chunks of their squared hidden units, or null when there are none.</summary>
    private double[]? PlainHiddenSquareSum(EncryptedChunkGroup group)
    {
        if (group.PlainChunks.Count == 0)
        {
            return null;
        }

        var sum = new double[_weights.HiddenSize];
        foreach (float[] chunk in group.PlainChunks.Values)
        {
            _plain.AccumulateChunk(chunk, sum);
        }

        return sum;
    }

    /// <summary>A vector repeated in every segment of the slots.</summary>
    private double[] Periodic(IReadOnlyList<double> values) => BabyStepGiantStep.Periodic(values, _segment, _slots);

    /// <summary>
    /// y = M x in every segment at once, by the diagonal method with baby-step/giant-step: the baby rotations of x come
    /// from a tree of power-of-two rotations, each giant group is rescaled and the groups are combined by Horner's rule
    /// with the single giant step (few Galois keys; <see cref="BabyStepGiantStep"/>).
    /// </summary>
    /// <remarks>
    /// A rotation moves the whole slot vector, so for a segment-local product the terms whose column wraps past the
    /// segment's end read the next segment. FC1 (a different chunk in every segment) therefore splits each diagonal
    /// into the part that stays inside the segment and the part that wraps; the wrapped parts are summed separately
    /// and moved back by one rotation of minus a segment. FC2 sees the same vector in every segment, where the
    /// neighbouring segment is the segment itself, so its diagonals need no split.
    /// </remarks>
    private Ciphertext Dense(Ciphertext x, int layer)
    {
        DenseDiagonals diagonals = _denseDiagonals.GetOrAdd((layer, x.Level),
            key => new Lazy<DenseDiagonals>(() => EncodeDiagonals(key.Layer, key.Level))).Value;
        Ciphertext[] babies = BabyStepGiantStep.Babies(_evaluator, x, _baby, 1);
        int giants = _segment / _baby;
        var within = new Ciphertext?[giants];
        var wrapped = new Ciphertext?[giants];
        Parallel.For(0, giants, Options, g =>
        {
            within[g] = BabyStepGiantStep.Group(_evaluator, diagonals.Within, babies, _baby, g);
            wrapped[g] = BabyStepGiantStep.Group(_evaluator, diagonals.Wrapped, babies, _baby, g);
        });
        // Wrapped terms exist only for diagonals d > segment - rows: with FC1's 128 rows in a 256-slot segment, the upper
        // half of the giant groups. Horner's rule then stops there and one rotation by (half - segment) brings the sum
        // back, instead of rotating down through the empty lower half and then by minus a segment. The two chains are
        // independent and run side by side.
        Ciphertext? inside = null, back = null;
        Parallel.Invoke(Options,
            () => inside = BabyStepGiantStep.Horner(_evaluator, within, _baby),
            () =>
            {
                int from = WrappedHornerStart(wrapped);
                back = BabyStepGiantStep.Horner(_evaluator, wrapped, _baby, from);
                int backStep = from * _baby - _segment;
                if (back is not null && backStep % _slots != 0)
                {
                    back = _evaluator.Rotate(back, (backStep % _slots + _slots) % _slots);
                }
            });

        if (inside is null)
        {
            // Every diagonal that stays inside the segment is zero (an all-zero matrix, say): the product is the wrapped
            // part alone, or an encrypted zero at the level and scale the product would have.
            return back ?? _evaluator.Rescale(_evaluator.MultiplyPlain(x, _encoder.Encode(new double[_slots], x.Level, _keys.Parameters.Q[x.Level])));
        }

        if (back is not null)
        {
            _evaluator.Add(inside, back, inside);
        }

        return inside;
    }

    /// <summary>The giant group where the Horner chain of the wrapped terms starts: half the groups when the lower half is empty, else 0.</summary>
    private static int WrappedHornerStart(IReadOnlyList<Ciphertext?> wrapped)
    {
        int half = wrapped.Count / 2;
        return Enumerable.Range(0, half).All(g => wrapped[g] is null) ? half : 0;
    }

    /// <summary>
    /// The pre-rotated diagonals of a dense layer's matrix, padded to the segment: entry i of diagonal d = g*n1 + b
    /// multiplies M[r][r + d] (r = (i - g*n1) mod seg) when r + d stays in the segment, else it belongs to the wrapped
    /// part M[r][r + d - seg] (FC1) or, for a segment-periodic input, to the same diagonal (FC2). All-zero diagonals
    /// are null and skipped.
    /// </summary>
    private DenseDiagonals EncodeDiagonals(int layer, int level)
    {
        int rows = layer == 1 ? _weights.HiddenSize : _weights.ClassCount;
        int columns = layer == 1 ? _weights.FeatureLength : _weights.HiddenSize;
        double[] matrix = layer == 1 ? _weights.Fc1Weights : _weights.Fc2Weights;
        double factor = layer == 1 ? 1.0 : 1.0 / _weights.ChunkCount;
        bool splitWraps = layer == 1;
        double scale = _keys.Parameters.Q[level];
        var within = new Plaintext?[_segment];
        var wrapped = new Plaintext?[_segment];
        Parallel.For(0, _segment, Options, d =>
        {
            int g = d / _baby;
            var inside = new double[_slots];
            var outside = new double[_slots];
            bool anyInside = false, anyOutside = false;
            for (int i = 0; i < _segment; i++)
            {
                int row = ((i - g * _baby) % _segment + _segment) % _segment;
                int column = row + d;
                bool wraps = column >= _segment;
                column %= _segment;
                if (row >= rows || column >= columns || matrix[row * columns + column] == 0)
                {
                    continue;
                }

                double value = matrix[row * columns + column] * factor;
                double[] target = wraps && splitWraps ? outside : inside;
                for (int copy = i; copy < _slots; copy += _segment)
                {
                    target[copy] = value;
                }

                if (wraps && splitWraps)
                {
                    anyOutside = true;
                }
                else
                {
                    anyInside = true;
                }
            }

            within[d] = anyInside ? _encoder.Encode(inside, level, scale) : null;
            wrapped[d] = anyOutside ? _encoder.Encode(outside, level, scale) : null;
        });
        return new DenseDiagonals(within, wrapped);
    }

    /// <summary>A dense layer's encoded diagonals: the parts inside the segment and the parts that wrap past its end.</summary>
    private sealed record DenseDiagonals(Plaintext?[] Within, Plaintext?[] Wrapped);

}
