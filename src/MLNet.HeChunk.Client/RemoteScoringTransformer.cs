using System.Threading.Channels;
using Grpc.Core;
using Microsoft.ML.Data;

namespace MLNet.HeChunk.Client;

/// <summary>
/// Scores each row's encrypted chunk group on a remote encrypted scoring server and writes the encrypted scores column,
/// the same column <c>ScoreEncryptedChunkCnn</c> writes, so <c>DecryptScores</c> follows unchanged. Rows go out in
/// batches of <see cref="RemoteScoringOptions.ImagesPerCall"/> over at most <see cref="RemoteScoringOptions.MaxConcurrentCalls"/>
/// calls at once; the input is read once, lazily, when a cursor first needs the scores. Not saved into model zips (it
/// holds an endpoint and a credential): rebuild it with <c>ScoreRemotely</c>.
/// </summary>
public sealed class RemoteScoringTransformer : ITransformer, IDisposable
{
    private readonly RemoteScoringOptions _options;
    private readonly HeChunkServiceClient _client;

    internal RemoteScoringTransformer(RemoteScoringOptions options, HeChunkServiceClient client, string keySetId)
    {
        _options = options;
        _client = client;
        KeySetId = keySetId;
    }

    /// <summary>The key set the server scores with.</summary>
    public string KeySetId { get; }

    /// <summary>Transient failures retried so far.</summary>
    public int Retries => _client.Retries;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => false;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        RemoteScoringEstimator.RequireBytes(inputSchema, _options.InputColumnName);
        return new RemoteScoresDataView(new EmptyView(inputSchema), _options.OutputColumnName, () => []).Schema;
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        throw new NotSupportedException("ScoreRemotely scores rows in batches over the network; it has no row-to-row mapper");

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RemoteScoringEstimator.RequireBytes(input.Schema, _options.InputColumnName);
        return new RemoteScoresDataView(input, _options.OutputColumnName, () => Fetch(input));
    }

    /// <inheritdoc/>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        throw new NotSupportedException("a ScoreRemotely transformer holds a server address and a credential and is not saved; rebuild it with ScoreRemotely");

    /// <inheritdoc/>
    public void Dispose() => _client.Dispose();

    private byte[][] Fetch(IDataView input)
    {
        try
        {
            return FetchAsync(input).GetAwaiter().GetResult();
        }
        catch (RpcException e)
        {
            throw new InvalidOperationException($"remote scoring at {_options.Endpoint} failed: {e.StatusCode}: {e.Status.Detail}", e);
        }
    }

    private async Task<byte[][]> FetchAsync(IDataView input)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_options.CancellationToken);
        var batches = Channel.CreateBounded<(int First, byte[][] Groups)>(_options.MaxConcurrentCalls);
        var results = new System.Collections.Concurrent.ConcurrentDictionary<int, byte[][]>();
        int rows = 0;
        Task producer = Task.Run(() => ProduceAsync(input, batches.Writer, count => rows = count, stop.Token), stop.Token);
        Task[] consumers = Enumerable.Range(0, _options.MaxConcurrentCalls).Select(_ => Task.Run(async () =>
        {
            await foreach (var (first, groups) in batches.Reader.ReadAllAsync(stop.Token))
            {
                results[first] = await _client.ScoreAsync(KeySetId, groups, stop.Token);
            }
        }, stop.Token)).ToArray();
        Task all = Task.WhenAll(consumers.Append(producer));
        try
        {
            await all;
        }
        catch
        {
            stop.Cancel();
            // The first real failure, not the cancellations it caused.
            Exception? cause = consumers.Append(producer).Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault();
            if (cause is not null)
            {
                throw cause;
            }

            throw;
        }

        var scores = new byte[rows][];
        foreach (var (first, answers) in results)
        {
            answers.CopyTo(scores, first);
        }

        return scores;
    }

    private async Task ProduceAsync(IDataView input, ChannelWriter<(int, byte[][])> batches, Action<int> setCount, CancellationToken ct)
    {
        try
        {
            DataViewSchema.Column column = input.Schema[_options.InputColumnName];
            using DataViewRowCursor cursor = input.GetRowCursor([column]);
            ValueGetter<VBuffer<byte>> getter = cursor.GetGetter<VBuffer<byte>>(column);
            var batch = new List<byte[]>(_options.ImagesPerCall);
            VBuffer<byte> value = default;
            int row = 0, first = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                batch.Add(value.DenseValues().ToArray());
                row++;
                if (batch.Count == _options.ImagesPerCall)
                {
                    await batches.WriteAsync((first, batch.ToArray()), ct);
                    batch.Clear();
                    first = row;
                }
            }

            if (batch.Count > 0)
            {
                await batches.WriteAsync((first, batch.ToArray()), ct);
            }

            setCount(row);
            batches.Complete();
        }
        catch (Exception e)
        {
            batches.TryComplete(e);
            throw;
        }
    }

    /// <summary>A data view with a schema and no rows, to compute output schemas.</summary>
    private sealed class EmptyView(DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => false;

        public DataViewSchema Schema => schema;

        public long? GetRowCount() => 0;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            throw new NotSupportedException();

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            throw new NotSupportedException();
    }
}
