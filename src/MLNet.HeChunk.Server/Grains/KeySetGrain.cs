using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Scoring;
using MLNet.HeChunk.Server.KeySets;
using MLNet.HeChunk.Server.Models;
using MLNet.HeChunk.Server.Scoring;
using Orleans.Concurrency;
using Orleans.Placement;

namespace MLNet.HeChunk.Server.Grains;

/// <summary>
/// The key-set grain. Activation reads the key set from the store and deserializes it; each model gets one
/// <see cref="EncryptedChunkCnn"/> (the library's scorer, which caches the model's encoded plaintexts). Calls interleave;
/// the evaluation itself runs on the thread pool under the silo's <see cref="EvaluationSlots"/>, so a key set's images
/// use every core the silo allows. Placement is random: key sets (about 360 MB each when active) spread evenly over
/// the silos, whichever front end received the first call.
/// </summary>
[Reentrant]
[RandomPlacement]
internal sealed class KeySetGrain(IKeySetStore store, ModelCatalog catalog, EvaluationSlots slots, IOptions<HeChunkServerOptions> options)
    : Grain, IKeySetGrain
{
    private readonly ConcurrentDictionary<string, Lazy<EncryptedChunkCnn>> _scorers = new(StringComparer.Ordinal);
    private HeChunkKeys? _keys;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task<ScoreOutcome> Score(string modelName, Immutable<byte[]> chunkGroup)
    {
        if (_keys is null)
        {
            // Registered after this activation looked (or never): look again, so a fresh registration is seen at once.
            await LoadAsync(CancellationToken.None);
        }

        HeChunkKeys? keys = _keys;
        var (_, keySetId) = KeySetIds.Parse(this.GetPrimaryKeyString());
        if (keys is null)
        {
            return ScoreOutcome.Fail(StatusCode.NotFound, $"no key set '{keySetId}' is registered for this tenant");
        }

        if (!catalog.IsReady)
        {
            return ScoreOutcome.Fail(StatusCode.Unavailable, "the server's models are still loading; retry");
        }

        ServedModel? model = catalog.Find(modelName);
        if (model is null)
        {
            return ScoreOutcome.Fail(StatusCode.NotFound, $"no model '{modelName}' is served here");
        }

        EncryptedChunkCnn scorer;
        try
        {
            scorer = _scorers.GetOrAdd(model.Name, _ => new Lazy<EncryptedChunkCnn>(
                () => new EncryptedChunkCnn(model.Weights, keys, options.Value.ScorerThreads))).Value;
        }
        catch (ArgumentException e)
        {
            _scorers.TryRemove(model.Name, out _);
            return ScoreOutcome.Fail(StatusCode.FailedPrecondition, $"key set '{keySetId}' does not fit model '{model.Name}': {e.Message}");
        }

        await slots.EnterAsync();
        try
        {
            return await Task.Run(() => Evaluate(scorer, keys, chunkGroup.Value));
        }
        finally
        {
            slots.Exit();
        }
    }

    private static ScoreOutcome Evaluate(EncryptedChunkCnn scorer, HeChunkKeys keys, byte[] chunkGroup)
    {
        try
        {
            EncryptedChunkGroup group = EncryptedChunkGroup.FromBytes(chunkGroup, keys);
            return ScoreOutcome.Ok(scorer.Score(group).ToBytes());
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or EndOfStreamException)
        {
            return ScoreOutcome.Fail(StatusCode.InvalidArgument, $"the encrypted chunk group cannot be scored: {e.Message}");
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (tenant, keySetId) = KeySetIds.Parse(this.GetPrimaryKeyString());
        byte[]? bytes = await store.GetAsync(tenant, keySetId, cancellationToken);
        if (bytes is not null)
        {
            _keys = await Task.Run(() => HeChunkKeys.LoadPublic(new MemoryStream(bytes, writable: false)), cancellationToken);
        }
    }
}
