namespace MLNet.HeChunk.Ckks;

/// <summary>
/// Key-switching keys for slot rotations and conjugation, one per Galois element. Generate only the steps a
/// computation needs: each key is as large as a relinearization key.
/// </summary>
public sealed class GaloisKeys
{
    private readonly Dictionary<ulong, KeySwitchingKey> _keys;

    internal GaloisKeys(CkksParameters parameters, Dictionary<ulong, KeySwitchingKey> keys)
    {
        Parameters = parameters;
        _keys = keys;
    }

    /// <summary>The parameter set these keys belong to.</summary>
    public CkksParameters Parameters { get; }

    /// <summary>The Galois elements present.</summary>
    public IReadOnlyCollection<ulong> GaloisElements => _keys.Keys;

    /// <summary>Whether a key for rotating left by <paramref name="step"/> slots (negative: right) is present.</summary>
    public bool ContainsRotation(int step) => _keys.ContainsKey(Parameters.Ring.GaloisElementForRotation(step));

    /// <summary>Whether the conjugation key is present.</summary>
    public bool ContainsConjugation => _keys.ContainsKey(Parameters.Ring.GaloisElementForConjugation);

    /// <summary>
    /// Whether the set holds the key <paramref name="request"/> asks for, made for its level or higher (a rotation by a
    /// multiple of the slot count needs no key and is always covered).
    /// </summary>
    public bool Covers(GaloisKeyRequest request)
    {
        ulong element = request.IsConjugation ? Parameters.Ring.GaloisElementForConjugation : Parameters.Ring.GaloisElementForRotation(request.Step);
        return element == 1 || (_keys.TryGetValue(element, out KeySwitchingKey? key) && key.MaxLevel >= request.MaxLevel);
    }

    internal IReadOnlyDictionary<ulong, KeySwitchingKey> Keys => _keys;

    internal bool TryGet(ulong galoisElement, out KeySwitchingKey key) => _keys.TryGetValue(galoisElement, out key!);
}
