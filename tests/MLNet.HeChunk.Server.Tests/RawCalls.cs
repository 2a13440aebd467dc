using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Service.V1;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>Direct gRPC calls, for tests that send what a well-behaved client never would.</summary>
internal sealed class RawCalls : IDisposable
{
    private readonly GrpcChannel _channel;

    public RawCalls(Uri endpoint)
    {
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { MaxSendMessageSize = null, MaxReceiveMessageSize = null });
        Client = new EncryptedScoring.EncryptedScoringClient(_channel);
    }

    public EncryptedScoring.EncryptedScoringClient Client { get; }

    public static CallOptions As(string? apiKey, bool bearer = false)
    {
        var headers = new Metadata();
        if (apiKey is not null)
        {
            headers.Add(bearer ? "authorization" : "x-api-key", bearer ? "Bearer " + apiKey : apiKey);
        }

        return new CallOptions(headers, DateTime.UtcNow.AddMinutes(2));
    }

    public static byte[] PublicBytes(HeChunkKeys keys)
    {
        using var buffer = new MemoryStream();
        keys.SavePublic(buffer);
        return buffer.ToArray();
    }

    public async Task<RegisterKeysReply> RegisterAsync(byte[] keySet, string? apiKey, int pieceBytes = 1 << 20)
    {
        using var call = Client.RegisterKeys(As(apiKey));
        try
        {
            for (int at = 0; at < keySet.Length; at += pieceBytes)
            {
                await call.RequestStream.WriteAsync(new KeySetPiece { ModelName = at == 0 ? "chunk-cnn" : "", Data = ByteString.CopyFrom(keySet, at, Math.Min(pieceBytes, keySet.Length - at)) });
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
            // The server refused early; the response below carries its status.
        }

        return await call.ResponseAsync;
    }

    public async Task<List<ScoreReply>> ScoreAsync(string keySetId, IReadOnlyList<byte[]> groups, string? apiKey, string model = "chunk-cnn")
    {
        using var call = Client.Score(As(apiKey));
        var sending = Task.Run(async () =>
        {
            try
            {
                for (int i = 0; i < groups.Count; i++)
                {
                    await call.RequestStream.WriteAsync(new ScoreRequest { ModelName = model, KeySetId = keySetId, RowId = 100 + i, ChunkGroup = ByteString.CopyFrom(groups[i]) });
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
            {
                // Reported by the response stream.
            }
        });
        var replies = new List<ScoreReply>();
        await foreach (ScoreReply reply in call.ResponseStream.ReadAllAsync())
        {
            if (reply.StatusCode != 0)
            {
                // The first failed image, as an exception, so tests read statuses the same way for images and calls.
                throw new RpcException(new Status((StatusCode)reply.StatusCode, reply.Error));
            }

            replies.Add(reply);
        }

        await sending;
        return replies;
    }

    public void Dispose() => _channel.Dispose();
}
