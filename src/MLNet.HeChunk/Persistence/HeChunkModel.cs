using System.IO.Compression;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Persistence;

/// <summary>
/// Saves and loads ML.NET models that contain MLNet.HeChunk transformers. Use these instead of
/// <c>mlContext.Model.Save</c> / <c>mlContext.Model.Load</c>: the zip they write is an ordinary ML.NET model zip
/// plus the transformers' state under <c>MLNet.HeChunk/</c> (see docs/transforms.md).
/// </summary>
/// <remarks>
/// <para>Why: ML.NET's own persistence is closed to other assemblies; a CustomMapping is the only transformer a
/// third party can make ML.NET save, and ML.NET stores nothing of it but a contract name. <see cref="Save(MLContext, ITransformer, DataViewSchema, string)"/>
/// therefore lets ML.NET write the model, then adds each suite transformer's <see cref="HeChunkTransformerState"/>;
/// <see cref="Load(MLContext, string, out DataViewSchema)"/> lets ML.NET read it, then replaces each placeholder
/// with the transformer rebuilt from its state, so names, vector sizes, annotations and fitted state all return.</para>
/// <para>A zip loaded with plain <c>mlContext.Model.Load</c> fails: the innermost exception
/// (<see cref="Exception.GetBaseException"/>) is an <see cref="InvalidOperationException"/> saying to call
/// <see cref="Load(MLContext, string, out DataViewSchema)"/>. ML.NET wraps it in reflection exceptions.</para>
/// </remarks>
public static class HeChunkModel
{
    /// <summary>Saves <paramref name="model"/> to <paramref name="filePath"/> (created or replaced through a temporary file and a rename).</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="model">The fitted model, usually a transformer chain.</param>
    /// <param name="inputSchema">Schema of the data the model consumes, as for <c>mlContext.Model.Save</c>.</param>
    /// <param name="filePath">Destination zip.</param>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string filePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        IO.SafeFile.Write(filePath, file => Save(mlContext, model, inputSchema, file));
    }

    /// <summary>Saves <paramref name="model"/> into <paramref name="stream"/> (written from its current position).</summary>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);

        var instances = TransformerTree.Walk(model)
            .Where(x => x.Transformer is IHeChunkPersistable)
            .Select(x => new HeChunkStateArchive.SavedInstance(x.Path, ((IHeChunkPersistable)x.Transformer).SaveState()))
            .ToList();

        // ML.NET writes into a memory buffer, which is reopened as a zip to append the state entries; the caller's
        // stream therefore need not be seekable or readable.
        using var buffer = new MemoryStream();
        mlContext.Model.Save(model, inputSchema, buffer);
        HeChunkStateArchive.Write(buffer, instances);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }

    /// <summary>Loads a model saved by <see cref="Save(MLContext, ITransformer, DataViewSchema, string)"/>.</summary>
    /// <param name="mlContext">A context; it need not be the one that saved the model.</param>
    /// <param name="filePath">The model zip.</param>
    /// <param name="inputSchema">Receives the schema the model was saved with.</param>
    /// <returns>The model, with every suite transformer restored to its saved state.</returns>
    /// <exception cref="InvalidDataException">The zip was not written by <see cref="Save(MLContext, ITransformer, DataViewSchema, string)"/>,
    /// or its state entries are damaged, or a kind has no registered restorer.</exception>
    public static ITransformer Load(MLContext mlContext, string filePath, out DataViewSchema inputSchema)
        => Load(mlContext, filePath, out inputSchema, null);

    /// <summary>
    /// Loads a model whose transformers need the client's key set (the score decryptor, a secret-key encryptor):
    /// model zips never contain a secret key, so it is passed here.
    /// </summary>
    /// <param name="mlContext">A context.</param>
    /// <param name="filePath">The model zip.</param>
    /// <param name="inputSchema">Receives the schema the model was saved with.</param>
    /// <param name="clientKeys">The client's key set, with its secret key; null for models that need none.</param>
    public static ITransformer Load(MLContext mlContext, string filePath, out DataViewSchema inputSchema, Encryption.HeChunkKeys? clientKeys)
        => Load(mlContext, filePath, out inputSchema, clientKeys, Ckks.SecurityMode.Require128Bit);

    /// <summary>
    /// Loads a model, naming the weakest parameter security accepted for the keys stored in it. Zips whose keys use
    /// parameters below 128-bit security load only when <paramref name="accepted"/> is
    /// <see cref="Ckks.SecurityMode.InsecureForTestingOnly"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The zip is damaged, of an old version, forged or refused; the message names the file.</exception>
    public static ITransformer Load(MLContext mlContext, string filePath, out DataViewSchema inputSchema, Encryption.HeChunkKeys? clientKeys, Ckks.SecurityMode accepted)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        using var file = File.OpenRead(filePath);
        try
        {
            return Load(mlContext, file, out inputSchema, clientKeys, accepted);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"model zip '{filePath}': {e.Message}", e);
        }
    }

    /// <summary>Loads a model saved by <see cref="Save(MLContext, ITransformer, DataViewSchema, Stream)"/> from a stream.</summary>
    public static ITransformer Load(MLContext mlContext, Stream stream, out DataViewSchema inputSchema)
        => Load(mlContext, stream, out inputSchema, null);

    /// <summary>Loads a model from a stream, with the client's key set for transformers that need the secret key.</summary>
    public static ITransformer Load(MLContext mlContext, Stream stream, out DataViewSchema inputSchema, Encryption.HeChunkKeys? clientKeys)
        => Load(mlContext, stream, out inputSchema, clientKeys, Ckks.SecurityMode.Require128Bit);

    /// <summary>Loads a model from a stream, naming the weakest parameter security accepted for the keys stored in it.</summary>
    /// <exception cref="InvalidDataException">The zip is damaged, of an old version, forged or refused.</exception>
    /// <exception cref="InvalidOperationException">The model needs a key set (or its secret key) that was not passed.</exception>
    public static ITransformer Load(MLContext mlContext, Stream stream, out DataViewSchema inputSchema, Encryption.HeChunkKeys? clientKeys, Ckks.SecurityMode accepted)
    {
        using (HeChunkLoadKeys.Use(clientKeys, accepted))
            return LoadWithKeysInScope(mlContext, stream, out inputSchema);
    }

    private static ITransformer LoadWithKeysInScope(MLContext mlContext, Stream stream, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(stream);

        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;

        IReadOnlyList<HeChunkStateArchive.SavedInstance>? saved;
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Read, leaveOpen: true))
            saved = HeChunkStateArchive.Read(zip);
        // ZipArchive reports a damaged central directory as InvalidDataException itself.
        if (saved is null)
            throw new InvalidDataException(
                $"The model zip has no '{HeChunkStateArchive.ManifestEntry}' entry: it was not saved by {nameof(HeChunkModel)}.{nameof(Save)}. " +
                $"Save models that contain MLNet.HeChunk transformers with {nameof(HeChunkModel)}.{nameof(Save)}, not mlContext.Model.Save.");

        buffer.Position = 0;
        mlContext.ComponentCatalog.RegisterAssembly(typeof(HeChunkModel).Assembly);
        ITransformer raw;
        try
        {
            using (HeChunkLoadScope.Enter())
                raw = mlContext.Model.Load(buffer, out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not InvalidDataException)
        {
            // The digest matched, so this is a zip whose ML.NET part was written wrong (or forged with a new digest).
            throw new InvalidDataException($"ML.NET could not read the model inside the zip: {e.GetBaseException().Message}", e);
        }

        var placeholders = TransformerTree.Walk(raw).ToDictionary(x => TransformerTree.Key(x.Path), x => x.Transformer);
        var replacements = new Dictionary<string, ITransformer>();
        foreach (var instance in saved)
        {
            string key = TransformerTree.Key(instance.Path);
            if (!placeholders.TryGetValue(key, out var placeholder) || !TransformerTree.IsCustomMapping(placeholder))
                throw new InvalidDataException(
                    $"The manifest places a '{instance.State.Kind}' transformer at {key}, but the model holds " +
                    $"{(placeholder is null ? "nothing" : placeholder.GetType().Name)} there: the zip's entries do not belong together.");
            try
            {
                replacements[key] = HeChunkTransformerRegistry.Restore(mlContext, instance.State);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or EndOfStreamException or KeyNotFoundException
                or IndexOutOfRangeException or System.Text.Json.JsonException or NotSupportedException)
            {
                throw new InvalidDataException($"The saved '{instance.State.Kind}' transformer at {key} cannot be rebuilt: {e.Message}", e);
            }
        }
        return TransformerTree.Replace(raw, replacements);
    }

    /// <summary>All transformers of type <typeparamref name="T"/> in <paramref name="model"/>, in chain order.</summary>
    public static IReadOnlyList<T> FindAll<T>(ITransformer model) where T : class, ITransformer =>
        [.. TransformerTree.Walk(model).Select(x => x.Transformer).OfType<T>()];

    /// <summary>
    /// The chunk grid of the chunk splitter in <paramref name="model"/> that writes <paramref name="chunksColumnName"/>
    /// (or of the only splitter, when the name is null). Works on any model, including one just loaded.
    /// </summary>
    /// <exception cref="InvalidOperationException">No splitter (or, with a null name, more than one) matches.</exception>
    public static ChunkGrid FindChunkGrid(ITransformer model, string? chunksColumnName = null)
    {
        var splitters = FindAll<ChunkSplittingTransformer>(model)
            .Where(s => chunksColumnName is null || s.OutputColumnName == chunksColumnName)
            .ToList();
        return splitters.Count == 1
            ? splitters[0].Grid
            : throw new InvalidOperationException(
                $"Expected one chunk splitter{(chunksColumnName is null ? "" : $" writing column '{chunksColumnName}'")}; found {splitters.Count}.");
    }

    internal static string PlainLoadMessage(string kind) =>
        $"This model contains an MLNet.HeChunk '{kind}' transformer, whose state ML.NET cannot restore by itself. " +
        $"Load it with MLNet.HeChunk.Persistence.{nameof(HeChunkModel)}.{nameof(Load)}(mlContext, path, out var schema) " +
        "instead of mlContext.Model.Load (and save it with HeChunkModel.Save).";
}
