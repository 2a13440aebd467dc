namespace MLNet.HeChunk.Persistence;

/// <summary>
/// A fitted transformer whose state <see cref="HeChunkModel"/> stores next to ML.NET's own model entries.
/// </summary>
/// <remarks>
/// To add a kind: implement this on the transformer (usually by deriving from <see cref="Transforms.HeChunkTransformerBase"/>),
/// register a restorer for <see cref="HeChunkTransformerState.Kind"/> with
/// <see cref="HeChunkTransformerRegistry.Register"/>, and make the transformer save (through ML.NET's
/// <c>ICanSaveModel</c>) as a CustomMapping whose factory derives from <see cref="HeChunkPlaceholderFactory{TSrc, TDst}"/>.
/// </remarks>
public interface IHeChunkPersistable : ITransformer
{
    /// <summary>Everything needed to rebuild this transformer in a fresh <see cref="MLContext"/>.</summary>
    HeChunkTransformerState SaveState();
}
