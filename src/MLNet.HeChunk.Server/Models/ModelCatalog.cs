using System.Collections.Concurrent;

namespace MLNet.HeChunk.Server.Models;

/// <summary>
/// The models this process serves, by name. Empty and not ready until <see cref="ModelLoader"/> has loaded every
/// configured model; the readiness health check and every call read <see cref="IsReady"/>.
/// </summary>
public sealed class ModelCatalog
{
    private readonly ConcurrentDictionary<string, ServedModel> _models = new(StringComparer.Ordinal);
    private volatile string? _defaultName;
    private volatile bool _ready;
    private volatile string? _failure;

    /// <summary>Whether every configured model is loaded.</summary>
    public bool IsReady => _ready;

    /// <summary>Why loading failed, or null.</summary>
    public string? Failure => _failure;

    /// <summary>The served models' names.</summary>
    public IReadOnlyCollection<string> Names => [.. _models.Keys];

    /// <summary>The model named <paramref name="name"/> (the default one for an empty name), or null.</summary>
    public ServedModel? Find(string? name)
    {
        string? key = string.IsNullOrEmpty(name) ? _defaultName : name;
        return key is not null && _models.TryGetValue(key, out ServedModel? model) ? model : null;
    }

    /// <summary>Publishes the loaded models and marks the catalog ready.</summary>
    internal void Publish(IReadOnlyList<ServedModel> models)
    {
        foreach (ServedModel model in models)
        {
            _models[model.Name] = model;
        }

        _defaultName = models.Count > 0 ? models[0].Name : null;
        _ready = true;
    }

    /// <summary>Records a failed load (the process stays unready and says why).</summary>
    internal void Fail(string reason) => _failure = reason;
}
