using Microsoft.ML.Data;

namespace MLNet.HeChunk.Client;

/// <summary>
/// The estimator of <see cref="RemoteScoringTransformer"/>: fitting learns nothing; it checks the input column, asks the
/// server for the model, and registers the keys when no key-set id is given.
/// </summary>
public sealed class RemoteScoringEstimator : IEstimator<RemoteScoringTransformer>
{
    private readonly MLContext _mlContext;
    private readonly RemoteScoringOptions _options;

    internal RemoteScoringEstimator(MLContext mlContext, RemoteScoringOptions options)
    {
        _mlContext = mlContext;
        _options = options.Checked();
        if (_options.KeySetId is null && _options.Keys is null)
        {
            throw new ArgumentException("ScoreRemotely needs either RemoteScoringOptions.KeySetId (keys registered earlier) or RemoteScoringOptions.Keys to register");
        }
    }

    /// <inheritdoc/>
    public RemoteScoringTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireBytes(input.Schema, _options.InputColumnName);
        var client = new HeChunkServiceClient(_options);
        try
        {
            string keySetId = _options.KeySetId
                ?? client.RegisterKeysAsync(_options.Keys!, null, _options.CancellationToken).GetAwaiter().GetResult().KeySetId;
            return new RemoteScoringTransformer(_options, client, keySetId);
        }
        catch (Grpc.Core.RpcException e)
        {
            client.Dispose();
            throw new InvalidOperationException($"registering keys at {_options.Endpoint} failed: {e.StatusCode}: {e.Status.Detail}", e);
        }
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var found = inputSchema.Where(c => c.Name == _options.InputColumnName).ToList();
        if (found.Count == 0 || found[^1].ItemType != NumberDataViewType.Byte || found[^1].Kind == SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSchema),
                $"column '{_options.InputColumnName}': expected Vector<Byte> (serialized encrypted chunk groups), found " +
                (found.Count == 0 ? "no such column" : $"{found[^1].Kind} of {found[^1].ItemType}"));
        }

        // The output is the input plus one variable-size Vector<Byte>: the shape of a CustomMapping that adds that column.
        var input = SchemaDefinition.Create(typeof(BytesRow));
        input[0].ColumnName = _options.InputColumnName;
        input[0].ColumnType = new VectorDataViewType(NumberDataViewType.Byte);
        var output = SchemaDefinition.Create(typeof(BytesRow));
        output[0].ColumnName = _options.OutputColumnName;
        output[0].ColumnType = new VectorDataViewType(NumberDataViewType.Byte);
        return _mlContext.Transforms.CustomMapping<BytesRow, BytesRow>((_, _) => { }, null, input, output).GetOutputSchema(inputSchema);
    }

    /// <summary>Throws when <paramref name="column"/> is not a Vector&lt;Byte&gt; column of <paramref name="schema"/>.</summary>
    internal static void RequireBytes(DataViewSchema schema, string column)
    {
        DataViewSchema.Column? found = schema.GetColumnOrNull(column);
        if (found is null || found.Value.Type is not VectorDataViewType { ItemType: var item } || item != NumberDataViewType.Byte)
        {
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"column '{column}': expected Vector<Byte> (serialized encrypted chunk groups), found {(found is null ? "no such column" : found.Value.Type.ToString())}");
        }
    }

    /// <summary>Row type used only to compute the output schema shape.</summary>
    internal sealed class BytesRow
    {
        public byte[] Bytes { get; set; } = [];
    }
}
