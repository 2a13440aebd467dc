using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Service.V1;
using Polly;
using Polly.Retry;

namespace MLNet.HeChunk.Client;

/// <summary>
/// A client of the encrypted scoring service: learns the model, registers keys (public part only) and scores batches of
/// encrypted chunk groups. Every call carries the tenant's credential and a deadline; transient failures (overload,
/// an unreachable or restarting server, a lost silo) are retried with exponential back-off and jitter (Polly), resending
/// only the images not yet answered. Thread-safe; dispose it to close the connection.
/// </summary>
public sealed class HeChunkServiceClient : IDisposable
{
    private const int KeyPieceBytes = 1 << 20;
    private readonly RemoteScoringOptions _options;
    private readonly GrpcChannel _channel;
    private readonly EncryptedScoring.EncryptedScoringClient _client;
    private readonly ResiliencePipeline _retry;
    private readonly Metadata _headers;
    private int _retries;

    /// <summary>Creates the client (no connection is made before the first call).</summary>
    /// <exception cref="ArgumentException">A required option is missing or invalid.</exception>
    public HeChunkServiceClient(RemoteScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Checked();
        _channel = GrpcChannel.ForAddress(_options.Endpoint!, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                InitialHttp2StreamWindowSize = 16 << 20,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                AutomaticDecompression = DecompressionMethods.None,
            },
        });
        _client = new EncryptedScoring.EncryptedScoringClient(_channel);
        _headers = new Metadata { { "x-api-key", _options.Credential! } };
        _retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is RpcException e
                && TransientFailures.IsTransientCall(e, args.Context.CancellationToken.IsCancellationRequested)),
            MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
            Delay = _options.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            MaxDelay = TimeSpan.FromSeconds(10),
            OnRetry = _ =>
            {
                Interlocked.Increment(ref _retries);
                return default;
            },
        }).Build();
        if (_options.MaxRetries == 0)
        {
            _retry = ResiliencePipeline.Empty;
        }
    }

    /// <summary>Times a call was retried after a transient failure (for measurements and tests).</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>The served model's description (class names, packing, parameters, rotations).</summary>
    public async Task<ModelInfo> GetModelAsync(string? modelName = null, CancellationToken cancellationToken = default) =>
        await _retry.ExecuteAsync(async ct =>
            await _client.GetModelAsync(new GetModelRequest { ModelName = modelName ?? _options.ModelName }, Call(ct)), cancellationToken);

    /// <summary>Registers the public part of <paramref name="keys"/> and returns the key-set id.</summary>
    public Task<RegisterKeysReply> RegisterKeysAsync(HeChunkKeys keys, string? modelName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var buffer = new MemoryStream();
        keys.PublicOnly().SavePublic(buffer);
        return RegisterKeysAsync(buffer.ToArray(), modelName, cancellationToken);
    }

    /// <summary>Registers a serialized public key set (<c>HeChunkKeys.SavePublic</c> bytes) and returns the key-set id.</summary>
    public async Task<RegisterKeysReply> RegisterKeysAsync(byte[] publicKeySet, string? modelName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publicKeySet);
        return await _retry.ExecuteAsync(async ct =>
        {
            using AsyncClientStreamingCall<KeySetPiece, RegisterKeysReply> call = _client.RegisterKeys(Call(ct));
            for (int at = 0; at < publicKeySet.Length || at == 0; at += KeyPieceBytes)
            {
                int length = Math.Min(KeyPieceBytes, publicKeySet.Length - at);
                var piece = new KeySetPiece { Data = ByteString.CopyFrom(publicKeySet, at, length) };
                if (at == 0)
                {
                    piece.ModelName = modelName ?? _options.ModelName;
                }

                try
                {
                    await call.RequestStream.WriteAsync(piece, ct);
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
                {
                    // The server ended the call early (a refusal): its status is in the response below.
                    break;
                }

                if (publicKeySet.Length == 0)
                {
                    break;
                }
            }

            try
            {
                await call.RequestStream.CompleteAsync();
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
            {
                // As above: the response carries the server's reason.
            }

            return await call.ResponseAsync;
        }, cancellationToken);
    }

    /// <summary>
    /// Scores one batch of serialized encrypted chunk groups in one streaming call; returns the serialized encrypted
    /// scores in the same order. Retries transient failures, resending only unanswered images.
    /// </summary>
    /// <exception cref="RpcException">A permanent failure (bad input, unknown key set, missing credential) or retries exhausted.</exception>
    public async Task<byte[][]> ScoreAsync(string keySetId, IReadOnlyList<byte[]> chunkGroups, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(keySetId);
        ArgumentNullException.ThrowIfNull(chunkGroups);
        var answers = new byte[chunkGroups.Count][];
        await _retry.ExecuteAsync(async ct =>
        {
            int[] open = Enumerable.Range(0, answers.Length).Where(i => answers[i] is null).ToArray();
            if (open.Length == 0)
            {
                return;
            }

            using var callCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using AsyncDuplexStreamingCall<ScoreRequest, ScoreReply> call = _client.Score(Call(callCancel.Token));
            Task sending = SendAsync(call.RequestStream, keySetId, chunkGroups, open, callCancel.Token);
            RpcException? shed = null;
            try
            {
                await foreach (ScoreReply reply in call.ResponseStream.ReadAllAsync(ct))
                {
                    if (reply.RowId < 0 || reply.RowId >= answers.Length)
                    {
                        throw new InvalidDataException($"the server answered row {reply.RowId}, which was not sent");
                    }

                    var status = (StatusCode)reply.StatusCode;
                    if (status == StatusCode.OK)
                    {
                        answers[reply.RowId] = reply.EncryptedScores.ToByteArray();
                    }
                    else if (TransientFailures.IsTransientReply(status))
                    {
                        shed ??= new RpcException(new Status(status, reply.Error), new Metadata { { TransientFailures.ShedMarker, "1" } });
                    }
                    else
                    {
                        throw new RpcException(new Status(status, reply.Error));
                    }
                }
            }
            finally
            {
                // A permanent failure stops the upload of the rest of the batch.
                await callCancel.CancelAsync();
                await sending;
            }

            if (shed is not null)
            {
                throw shed;
            }

            int missing = answers.Count(a => a is null);
            if (missing > 0)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, $"the server ended the Score call with {missing} images unanswered"));
            }
        }, cancellationToken);
        return answers;
    }

    /// <inheritdoc/>
    public void Dispose() => _channel.Dispose();

    private async Task SendAsync(IClientStreamWriter<ScoreRequest> stream, string keySetId, IReadOnlyList<byte[]> groups, int[] rows, CancellationToken ct)
    {
        try
        {
            foreach (int row in rows)
            {
                await stream.WriteAsync(new ScoreRequest
                {
                    ModelName = _options.ModelName,
                    KeySetId = keySetId,
                    RowId = row,
                    ChunkGroup = UnsafeByteOperations.UnsafeWrap(groups[row]),
                }, ct);
            }

            await stream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // The call failed or ended; the response stream reports why.
        }
    }

    private CallOptions Call(CancellationToken ct) => new(_headers, DateTime.UtcNow + _options.CallDeadline, ct);
}
