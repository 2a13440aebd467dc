using System.Numerics;
using System.Security.Cryptography;
using MLNet.HeChunk.Ckks;

namespace MLNet.HeChunk.Encryption;

/// <summary>
/// Server-side re-randomization of encrypted scores (circuit privacy): adds a fresh public-key encryption of zero
/// that carries large Gaussian noise, so the answer's ciphertext is freshly random and its error is dominated by noise
/// that does not depend on the model's weights. Only the public key is used.
/// </summary>
/// <remarks>
/// The noise is drawn as i.i.d. complex Gaussian slot values of standard deviation <see cref="StandardDeviation"/>
/// (in logit units) and encoded at the answer's level and scale; the canonical embedding is a scaled unitary map,
/// so the plaintext's coefficients are i.i.d. Gaussian too (rounded to integers). Choose the deviation with
/// <see cref="ScoreNoiseFlooding.StandardDeviation(double)"/> from a bound on the evaluation error; each decrypted
/// logit then moves by noise of that deviation, which docs/threat-model.md measures against accuracy.
/// </remarks>
public sealed class EncryptedScoreRerandomizer
{
    private readonly HeChunkKeys _keys;
    private readonly CkksEncoder _encoder;
    private readonly Encryptor _encryptor;
    private readonly Evaluator _evaluator;

    /// <summary>Creates a re-randomizer.</summary>
    /// <param name="keys">The client's key set (its public key is used; a server's public-only set suffices).</param>
    /// <param name="standardDeviation">Standard deviation of the added noise in logit units (positive).</param>
    public EncryptedScoreRerandomizer(HeChunkKeys keys, double standardDeviation)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (!(standardDeviation > 0 && double.IsFinite(standardDeviation)))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), $"must be positive and finite; found {standardDeviation}");
        }

        _keys = keys;
        StandardDeviation = standardDeviation;
        _encoder = new CkksEncoder(keys.Parameters);
        _encryptor = new Encryptor(keys.Parameters, keys.PublicKey);
        _evaluator = new Evaluator(keys.Parameters);
    }

    /// <summary>Standard deviation of the added noise, in logit units.</summary>
    public double StandardDeviation { get; }

    /// <summary>The same scores, re-randomized.</summary>
    /// <exception cref="InvalidDataException">The scores belong to another key set.</exception>
    public EncryptedScores Rerandomize(EncryptedScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.KeySetId != _keys.KeySetId)
        {
            throw new InvalidDataException($"the scores are encrypted under key set {scores.KeySetId}, these keys are key set {_keys.KeySetId}");
        }

        Ciphertext answer = scores.Ciphertext;
        double sigma = StandardDeviation / scores.LogitScale;
        var noise = new Complex[_encoder.SlotCount];
        Span<byte> random = stackalloc byte[16];
        for (int i = 0; i < noise.Length; i++)
        {
            RandomNumberGenerator.Fill(random);
            double u1 = ((BitConverter.ToUInt64(random) >> 11) + 1) * (1.0 / (1UL << 53));
            double u2 = (BitConverter.ToUInt64(random[8..]) >> 11) * (1.0 / (1UL << 53));
            double radius = sigma * Math.Sqrt(-2 * Math.Log(u1));
            noise[i] = new Complex(radius * Math.Cos(2 * Math.PI * u2), radius * Math.Sin(2 * Math.PI * u2));
        }

        Ciphertext zero = _encryptor.Encrypt(_encoder.Encode(noise, answer.Level, answer.Scale));
        return new EncryptedScores(scores.KeySetId, scores.ClassCount, scores.LogitScale, _evaluator.Add(answer, zero));
    }
}
