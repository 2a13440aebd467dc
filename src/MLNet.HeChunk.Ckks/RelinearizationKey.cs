namespace MLNet.HeChunk.Ckks;

/// <summary>The key that turns a three-component product back into a two-component ciphertext (switches s^2 to s).</summary>
public sealed class RelinearizationKey
{
    internal RelinearizationKey(KeySwitchingKey key) => Key = key;

    /// <summary>The parameter set this key belongs to.</summary>
    public CkksParameters Parameters => Key.Parameters;

    /// <summary>The highest ciphertext level this key relinearizes (see <see cref="KeySwitchingKey.MaxLevel"/>).</summary>
    public int MaxLevel => Key.MaxLevel;

    internal KeySwitchingKey Key { get; }
}
