using MLNet.HeChunk.Ckks;

namespace MLNet.HeChunk.Encryption;

/// <summary>Client-side decryption of the server's encrypted logits (issue: CkksDecryptor).</summary>
public sealed class ScoreDecryptor
{
    private readonly HeChunkKeys _keys;
    private readonly Decryptor _decryptor;
    private readonly CkksEncoder _encoder;

    /// <summary>Creates a decryptor; <paramref name="keys"/> must hold the secret key.</summary>
    /// <exception cref="ArgumentException">The key set has no secret key.</exception>
    public ScoreDecryptor(HeChunkKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _decryptor = new Decryptor(keys.Parameters, keys.SecretKey ?? throw new ArgumentException("decryption needs the key set's secret key (this one is public-only)", nameof(keys)));
        _encoder = new CkksEncoder(keys.Parameters);
    }

    /// <summary>The class logits (already multiplied back by the logit scale), at full precision: keep them on the client.</summary>
    /// <exception cref="InvalidDataException">The scores belong to another key set.</exception>
    public double[] DecryptLogits(EncryptedScores scores) => DecryptLogits(scores, null);

    /// <summary>
    /// The class logits, noise-flooded by <paramref name="flooding"/> when given: use this for logits (or
    /// probabilities computed from them) that leave the client (see <see cref="ScoreNoiseFlooding"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The scores belong to another key set.</exception>
    public double[] DecryptLogits(EncryptedScores scores, ScoreNoiseFlooding? flooding)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.KeySetId != _keys.KeySetId)
        {
            throw new InvalidDataException($"the scores are encrypted under key set {scores.KeySetId}, these keys are key set {_keys.KeySetId}");
        }

        System.Numerics.Complex[] slots = _encoder.Decode(_decryptor.Decrypt(scores.Ciphertext));
        var logits = new double[scores.ClassCount];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = slots[i].Real * scores.LogitScale;
        }

        if (flooding is not null)
        {
            flooding.Apply(logits, LargestImaginaryPart(slots) * scores.LogitScale);
        }

        return logits;
    }

    /// <summary>
    /// An estimate of the CKKS error of the decrypted logits: the largest imaginary part over all slots (a real-valued
    /// computation leaves only error there), in logit units. This is the bound t that flooding scales.
    /// </summary>
    public double EstimateError(EncryptedScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return LargestImaginaryPart(_encoder.Decode(_decryptor.Decrypt(scores.Ciphertext))) * scores.LogitScale;
    }

    private static double LargestImaginaryPart(System.Numerics.Complex[] slots)
    {
        double largest = 0;
        foreach (System.Numerics.Complex slot in slots)
        {
            largest = Math.Max(largest, Math.Abs(slot.Imaginary));
        }

        return largest;
    }

    /// <summary>Softmax of logits, computed stably: the probabilities ML.NET's Score column holds.</summary>
    public static float[] Softmax(ReadOnlySpan<double> logits)
    {
        double max = double.NegativeInfinity;
        foreach (double l in logits)
        {
            max = Math.Max(max, l);
        }

        var result = new float[logits.Length];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }

        for (int i = 0; i < logits.Length; i++)
        {
            result[i] = (float)(Math.Exp(logits[i] - max) / sum);
        }

        return result;
    }
}
