namespace MLNet.HeChunk.Ckks;

/// <summary>A parameter literal was refused; the message says which rule it breaks and why the rule exists.</summary>
public sealed class CkksParameterException : ArgumentException
{
    /// <summary>Creates the exception with the reason for the refusal.</summary>
    public CkksParameterException(string message)
        : base(message)
    {
    }
}
