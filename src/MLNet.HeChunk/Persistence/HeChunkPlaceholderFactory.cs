using Microsoft.ML.Transforms;

namespace MLNet.HeChunk.Persistence;

/// <summary>
/// Base of the CustomMapping factories that ML.NET instantiates, by contract name, when it reads a model zip
/// holding one of the suite's transformers. ML.NET can only rebuild a CustomMapping from its row types, which
/// loses column names, vector sizes and all fitted state; so the transformer it builds is a placeholder that
/// <see cref="HeChunkModel.Load(MLContext, string, out DataViewSchema)"/> replaces with the real one, rebuilt from
/// the state saved next to it. Outside that call the factory refuses, naming the call to use instead.
/// </summary>
/// <typeparam name="TSrc">Input row type of the transformer's CustomMapping.</typeparam>
/// <typeparam name="TDst">Output row type of the transformer's CustomMapping.</typeparam>
/// <remarks>A derived class must be public, have a public parameterless constructor and carry
/// <c>[CustomMappingFactoryAttribute(contractName)]</c> with the contract name its transformer saves.</remarks>
public abstract class HeChunkPlaceholderFactory<TSrc, TDst> : CustomMappingFactory<TSrc, TDst>
    where TSrc : class, new()
    where TDst : class, new()
{
    /// <summary>Transformer kind, used in the message of a refused load.</summary>
    protected abstract string Kind { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Called outside <see cref="HeChunkModel.Load(MLContext, string, out DataViewSchema)"/>.</exception>
    public sealed override Action<TSrc, TDst> GetMapping()
    {
        if (!HeChunkLoadScope.IsActive)
            throw new InvalidOperationException(HeChunkModel.PlainLoadMessage(Kind));
        string kind = Kind;
        return (_, _) => throw new InvalidOperationException(
            $"Placeholder of an MLNet.HeChunk '{kind}' transformer was used; HeChunkModel.Load replaces it before returning the model.");
    }
}
