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

    /// <summary>The class logits (already multiplied back by the logit scale).</summary>
    /// <exception cref="InvalidDataException">The scores belong to another key set.</exception>
    public double[] DecryptLogits(EncryptedScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (scores.KeySetId != _keys.KeySetId)
        {
            throw new InvalidDataException($"the scores are encrypted under key set {scores.KeySetId}, these keys are key set {_keys.KeySetId}");
        }

        double[] slots = _encoder.DecodeReal(_decryptor.Decrypt(scores.Ciphertext));
        var logits = new double[scores.ClassCount];
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = slots[i] * scores.LogitScale;
        }

        return logits;
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
