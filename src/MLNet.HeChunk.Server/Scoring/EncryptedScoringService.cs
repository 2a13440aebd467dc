using System.Runtime.InteropServices;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLNet.HeChunk.Server.Grains;
using MLNet.HeChunk.Server.KeySets;
using MLNet.HeChunk.Server.Models;
using MLNet.HeChunk.Server.Tenants;
using MLNet.HeChunk.Service.V1;
using Orleans.Concurrency;

namespace MLNet.HeChunk.Server.Scoring;

/// <summary>
/// The gRPC front end: GetModel from the catalog; RegisterKeys validates and stores a key set under the caller's
/// tenant; Score sends each image to the tenant's key-set grain (wherever Orleans placed it) and writes the answers in
/// request order. Encrypted payloads pass through as the library's bytes.
/// </summary>
internal sealed class EncryptedScoringService(
    ModelCatalog catalog,
    IKeySetStore store,
    IGrainFactory grains,
    AdmissionGate admission,
    ValidatedKeySets validated,
    IOptions<HeChunkServerOptions> options,
    ILogger<EncryptedScoringService> logger) : EncryptedScoring.EncryptedScoringBase
{
    public override Task<ModelInfo> GetModel(GetModelRequest request, ServerCallContext context)
    {
        ServedModel model = RequireModel(request.ModelName);
        var info = new ModelInfo
        {
            Name = model.Name,
            Version = model.Version,
            KernelSize = model.Packing.KernelSize,
            Stride = model.Packing.Stride,
            Channels = model.Packing.Channels,
            ChunkSize = model.Weights.ChunkSize,
            ImageHeight = model.Weights.ImageHeight,
            ImageWidth = model.Weights.ImageWidth,
            CkksParameters = ByteString.CopyFrom(model.ParameterBytes),
            MaxKeySetBytes = options.Value.MaxKeySetBytes,
            MaxRequestBytes = options.Value.MaxRequestBytes,
        };
        info.ClassNames.AddRange(model.ClassNames);
        info.RotationSteps.AddRange(model.RotationSteps);
        return Task.FromResult(info);
    }

    public override async Task<RegisterKeysReply> RegisterKeys(IAsyncStreamReader<KeySetPiece> requestStream, ServerCallContext context)
    {
        string tenant = TenantInterceptor.TenantOf(context);
        long limit = options.Value.MaxKeySetBytes;
        string? modelName = null;
        using var buffer = new MemoryStream();
        await foreach (KeySetPiece piece in requestStream.ReadAllAsync(context.CancellationToken))
        {
            modelName ??= piece.ModelName;
            if (buffer.Length + piece.Data.Length > limit)
            {
                // Stop reading at once: the rest of an oversize upload is never buffered.
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"the key set is larger than this server's limit of {limit:N0} bytes"));
            }

            piece.Data.WriteTo(buffer);
        }

        if (buffer.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "no key-set bytes were sent"));
        }

        ServedModel model = RequireModel(modelName);
        byte[] bytes = buffer.ToArray();
        string digest = ValidatedKeySets.DigestOf(bytes);
        string keySetId = validated.Find(digest, model.Name) ?? KeySetValidator.Validate(bytes, model).KeySetId;
        validated.Add(digest, model.Name, keySetId);
        KeySetPut put = await store.PutAsync(tenant, keySetId, bytes, context.CancellationToken);
        if (put == KeySetPut.Conflict)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists,
                $"key set '{keySetId}' is already registered with other evaluation keys for the same public key; generate a fresh key set"));
        }

        logger.LogInformation("Tenant {Tenant} registered key set {KeySetId} ({Bytes} bytes, {Outcome})", tenant, keySetId, bytes.Length, put);
        return new RegisterKeysReply { KeySetId = keySetId, AlreadyRegistered = put == KeySetPut.AlreadyPresent, SizeBytes = bytes.Length };
    }

    public override async Task Score(IAsyncStreamReader<ScoreRequest> requestStream, IServerStreamWriter<ScoreReply> responseStream, ServerCallContext context)
    {
        string tenant = TenantInterceptor.TenantOf(context);
        // Headers first: a call the server fails while the client is still uploading then ends with its status
        // (trailers) rather than with a bare stream reset.
        await context.WriteResponseHeadersAsync([]);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        CancellationToken cancel = stop.Token;
        var pending = Channel.CreateBounded<Task<ScoreReply>>(new BoundedChannelOptions(options.Value.PerCallWindow) { SingleReader = true, SingleWriter = true });
        // A failed write fails the writer; it then stops the reader too, so nothing waits on a channel nobody drains.
        Task writer = WriteInOrderAsync(pending.Reader, responseStream, cancel)
            .ContinueWith(t => { if (!t.IsCompletedSuccessfully) stop.Cancel(); return t; }, TaskScheduler.Default).Unwrap();
        string? modelName = null, keySetId = null;
        IKeySetGrain? grain = null;
        try
        {
            await foreach (ScoreRequest request in requestStream.ReadAllAsync(cancel))
            {
                if (grain is null)
                {
                    ServedModel model = RequireModel(request.ModelName);
                    if (!KeySetIds.IsWellFormed(request.KeySetId))
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument, "key_set_id must be the 16 hex digits RegisterKeys returned"));
                    }

                    (modelName, keySetId) = (model.Name, request.KeySetId);
                    grain = grains.GetGrain<IKeySetGrain>(KeySetIds.GrainKey(tenant, keySetId));
                }
                else if ((request.ModelName.Length > 0 && request.ModelName != modelName) || (request.KeySetId.Length > 0 && request.KeySetId != keySetId))
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, "model_name and key_set_id must not change within one Score call"));
                }

                Task<ScoreReply> scoring;
                if (request.ChunkGroup.IsEmpty)
                {
                    scoring = Task.FromResult(Failed(request.RowId, StatusCode.InvalidArgument, "empty chunk_group"));
                }
                else if (admission.TryEnter() is { } admitted)
                {
                    scoring = ScoreOneAsync(grain, modelName!, request, admitted);
                }
                else
                {
                    scoring = Task.FromResult(Failed(request.RowId, StatusCode.ResourceExhausted, admission.RefusalMessage));
                }

                await pending.Writer.WriteAsync(scoring, cancel);
            }

            pending.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (writer.IsCompleted && !writer.IsCompletedSuccessfully)
        {
            // The writer failed first: its error (below) is the call's status.
        }
        catch (Exception)
        {
            pending.Writer.TryComplete();
            stop.Cancel();
            await Task.WhenAny(writer);
            throw;
        }

        await writer;
    }

    private static async Task<ScoreReply> ScoreOneAsync(IKeySetGrain grain, string modelName, ScoreRequest request, AdmissionGate.Admission admitted)
    {
        using (admitted)
        {
            ScoreOutcome outcome;
            try
            {
                outcome = await grain.Score(modelName, new Immutable<byte[]>(ArrayOf(request.ChunkGroup)));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A silo died or a message was lost on the way: the key set re-activates elsewhere, so the client may resend.
                return Failed(request.RowId, StatusCode.Unavailable, $"the silo holding the key set did not answer ({e.GetType().Name}); retry");
            }

            return outcome.Status == StatusCode.OK
                ? new ScoreReply { RowId = request.RowId, EncryptedScores = UnsafeByteOperations.UnsafeWrap(outcome.EncryptedScores) }
                : Failed(request.RowId, outcome.Status, outcome.Message);
        }
    }

    /// <summary>The bytes' own array when the message owns exactly one (as after parsing), else a copy.</summary>
    private static byte[] ArrayOf(ByteString bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();

    private static ScoreReply Failed(long rowId, StatusCode status, string message) =>
        new() { RowId = rowId, StatusCode = (int)status, Error = $"row {rowId}: {message}" };

    private static async Task WriteInOrderAsync(ChannelReader<Task<ScoreReply>> pending, IServerStreamWriter<ScoreReply> responses, CancellationToken cancel)
    {
        await foreach (Task<ScoreReply> next in pending.ReadAllAsync(cancel))
        {
            await responses.WriteAsync(await next, cancel);
        }
    }

    private ServedModel RequireModel(string? name)
    {
        if (!catalog.IsReady)
        {
            throw new RpcException(new Status(StatusCode.Unavailable,
                catalog.Failure is null ? "the server's models are still loading; retry" : $"the server could not load its models: {catalog.Failure}"));
        }

        return catalog.Find(name) ?? throw new RpcException(new Status(StatusCode.NotFound,
            $"no model '{name}' is served here (served: {string.Join(", ", catalog.Names)})"));
    }
}
