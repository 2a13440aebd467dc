namespace MLNet.HeChunk.Ckks;

/// <summary>Whether a parameter set must meet the 128-bit security table.</summary>
public enum SecurityMode
{
    /// <summary>Refuse any parameter set outside the HomomorphicEncryption.org 128-bit table (the default).</summary>
    Require128Bit = 0,

    /// <summary>
    /// Accept parameters that give no meaningful security. For tests of arithmetic only; every object built on such
    /// parameters reports <see cref="CkksParameters.IsSecure"/> = false.
    /// </summary>
    InsecureForTestingOnly = 1,
}
