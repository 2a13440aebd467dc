using Microsoft.ML.Data;

namespace MLNet.HeChunk.Client;

/// <summary>
/// The input data with one more column, the encrypted scores the server returned. The scores of all rows are fetched
/// once, on the first cursor that needs them (streamed to the server in batches, in parallel calls), and kept (about
/// 68 kB per image); the other columns are read from the input as they are.
/// </summary>
internal sealed class RemoteScoresDataView : IDataView
{
    private readonly IDataView _input;
    private readonly Lazy<byte[][]> _scores;

    public RemoteScoresDataView(IDataView input, string outputColumnName, Func<byte[][]> fetchScores)
    {
        _input = input;
        _scores = new Lazy<byte[][]>(fetchScores, LazyThreadSafetyMode.ExecutionAndPublication);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input.Schema);
        builder.AddColumn(outputColumnName, new VectorDataViewType(NumberDataViewType.Byte));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    /// <summary>Index of the scores column in <see cref="Schema"/>.</summary>
    internal int ScoresColumn => _input.Schema.Count;

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var needed = columnsNeeded.ToList();
        bool wantsScores = needed.Any(c => c.Index == ScoresColumn);
        var inner = _input.GetRowCursor(needed.Where(c => c.Index < ScoresColumn).Select(c => _input.Schema[c.Index]));
        return new RemoteScoresCursor(this, inner, wantsScores ? _scores.Value : null);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
