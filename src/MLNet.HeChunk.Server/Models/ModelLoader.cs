using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Server.Models;

/// <summary>
/// Loads the configured models in the background after start-up (a model zip takes a moment), then publishes them to
/// the <see cref="ModelCatalog"/>; until then the readiness check reports "not serving".
/// </summary>
internal sealed class ModelLoader(IOptions<HeChunkServerOptions> options, ModelCatalog catalog, ILogger<ModelLoader> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            var models = options.Value.Models.Select(Load).ToList();
            catalog.Publish(models);
            foreach (ServedModel model in models)
            {
                logger.LogInformation("Serving model {Name} version {Version}: {Classes} classes, packing {Packing}, parameters {Parameters}",
                    model.Name, model.Version, model.ClassNames.Count, model.Packing, model.Parameters);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Any failure (a damaged zip, bad parameters, a missing file) keeps the process up and unready, with the reason.
            catalog.Fail(e.Message);
            logger.LogError("Model loading failed: {Reason}", e.Message);
        }
    }, stoppingToken);

    /// <summary>Loads one model from its options.</summary>
    internal static ServedModel Load(ServedModelOptions o)
    {
        ChunkCnnWeights weights;
        IReadOnlyList<string>? classNames = o.ClassNames;
        if (o.Weights is not null)
        {
            weights = o.Weights;
        }
        else if (o.Path is null)
        {
            throw new ArgumentException($"model '{o.Name}' has neither a path nor weights");
        }
        else if (!File.Exists(o.Path))
        {
            throw new IOException($"model '{o.Name}': file '{o.Path}' does not exist");
        }
        else if (IsZip(o.Path))
        {
            ITransformer model = HeChunkModel.Load(new MLContext(1), o.Path, out _);
            var scorer = HeChunkModel.FindAll<ChunkCnnScoringTransformer>(model).FirstOrDefault()
                ?? throw new InvalidDataException($"model '{o.Name}': '{o.Path}' holds no chunk CNN scorer");
            weights = scorer.Weights;
            classNames ??= scorer.ClassNames;
        }
        else
        {
            weights = ChunkCnnWeightsSerializer.Deserialize(File.ReadAllBytes(o.Path));
        }

        classNames ??= Enumerable.Range(0, weights.ClassCount).Select(i => $"class{i}").ToArray();
        return new ServedModel(o.Name, o.Version, weights, classNames, CkksParameters.Create(o.Parameters));
    }

    private static bool IsZip(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return stream.ReadByte() == 'P' && stream.ReadByte() == 'K';
    }
}
