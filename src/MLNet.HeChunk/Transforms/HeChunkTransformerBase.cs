using Microsoft.ML.Data;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Base of the suite's fitted transformers. The row work is done by an ML.NET CustomMapping (the only
/// transformer kind ML.NET lets another assembly save); this class adds input validation with clear messages,
/// keeps the fitted settings, and hands them to <see cref="HeChunkModel"/> through <see cref="SaveState"/>.
/// </summary>
public abstract class HeChunkTransformerBase : IHeChunkPersistable
{
    private readonly ITransformer _mapping;

    /// <summary>Wraps <paramref name="mapping"/>, the CustomMapping transformer that does the row work.</summary>
    protected HeChunkTransformerBase(ITransformer mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        _mapping = mapping;
    }

    bool ITransformer.IsRowToRowMapper => true;

    /// <summary>The schema this transformer produces from <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type or size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInputSchema(inputSchema);
        return _mapping.GetOutputSchema(inputSchema);
    }

    /// <summary>Applies the transformer (lazily, as every ML.NET transform).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or of the wrong type or size.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputSchema(input.Schema);
        return _mapping.Transform(input);
    }

    IRowToRowMapper ITransformer.GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckInputSchema(inputSchema);
        return _mapping.GetRowToRowMapper(inputSchema);
    }

    // ML.NET saves the CustomMapping's contract name in this transformer's place; HeChunkModel adds the state.
    void ICanSaveModel.Save(ModelSaveContext ctx) => _mapping.Save(ctx);

    /// <inheritdoc/>
    public abstract HeChunkTransformerState SaveState();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming column, expected and found when the input does not fit.</summary>
    protected abstract void CheckInputSchema(DataViewSchema inputSchema);
}
