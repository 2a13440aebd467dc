using Microsoft.ML.Data;

namespace MLNet.HeChunk.Client;

/// <summary>A cursor over <see cref="RemoteScoresDataView"/>: the input's cursor, plus the scores of its current row.</summary>
internal sealed class RemoteScoresCursor : DataViewRowCursor
{
    private readonly RemoteScoresDataView _view;
    private readonly DataViewRowCursor _inner;
    private readonly byte[][]? _scores;

    public RemoteScoresCursor(RemoteScoresDataView view, DataViewRowCursor inner, byte[][]? scores)
    {
        _view = view;
        _inner = inner;
        _scores = scores;
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _inner.Position;

    public override long Batch => _inner.Batch;

    public override bool MoveNext() => _inner.MoveNext();

    public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index == _view.ScoresColumn ? _scores is not null : _inner.IsColumnActive(_inner.Schema[column.Index]);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index != _view.ScoresColumn)
        {
            return _inner.GetGetter<TValue>(_inner.Schema[column.Index]);
        }

        byte[][] scores = _scores ?? throw new InvalidOperationException($"column '{column.Name}' was not requested when the cursor was made");
        if (typeof(TValue) != typeof(VBuffer<byte>))
        {
            throw new InvalidOperationException($"column '{column.Name}' is a Vector<Byte>; asked for {typeof(TValue).Name}");
        }

        ValueGetter<VBuffer<byte>> getter = (ref VBuffer<byte> value) =>
        {
            byte[] row = scores[_inner.Position];
            var editor = VBufferEditor.Create(ref value, row.Length);
            row.CopyTo(editor.Values);
            value = editor.Commit();
        };
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
