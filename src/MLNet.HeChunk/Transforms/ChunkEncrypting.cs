using Microsoft.ML.Data;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;

namespace MLNet.HeChunk.Transforms;

/// <summary>
/// Fitted chunk encryptor (client side; the product brief's <b>CkksEncryptor</b>): turns each row's chunk vector and signed chunk index into one serialized
/// <see cref="EncryptedChunkGroup"/> (<c>Vector&lt;Byte&gt;</c>), the only column a server needs. Saves the public
/// keys with itself (never the secret key) only to recognise its key set: a reloaded encryptor encrypts with the key
/// set passed to <see cref="HeChunkModel.Load(MLContext, string, out DataViewSchema, HeChunkKeys?)"/> and refuses a
/// zip whose key-set id differs.
/// </summary>
public sealed class ChunkEncryptingTransformer : HeChunkTransformerBase
{
    internal const string KindName = "ChunkEncrypting";
    internal const string ContractName = "MLNet.HeChunk.ChunkEncrypting.v1";
    internal const string DescribedContractName = "MLNet.HeChunk.ChunkEncrypting.Described.v1";
    private const int StateVersion = 1;
    private const string KeysBlob = "public-keys.bin";

    private readonly Settings _settings;
    private readonly HeChunkKeys _keys;

    private ChunkEncryptingTransformer(TransformsCatalog catalog, Settings settings, HeChunkKeys keys)
        : base(BuildMapping(catalog, settings, keys))
    {
        _settings = settings;
        _keys = keys;
    }

    /// <summary>Name of the encrypted column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>Name of the chunk column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>Name of the index column read.</summary>
    public string IndexColumnName => _settings.IndexColumnName;

    /// <summary>The chunk layout.</summary>
    public ChunkGrid Grid => _settings.Grid;

    /// <summary>The encryption mode.</summary>
    public EncryptionMode Mode => _settings.Mode;

    /// <summary>The slot packing.</summary>
    public ChunkPacking Packing => _settings.Packing;

    /// <summary>The key set id the data is encrypted under.</summary>
    public string KeySetId => _keys.KeySetId;

    /// <inheritdoc/>
    public override HeChunkTransformerState SaveState()
    {
        using var keys = new MemoryStream();
        _keys.SavePublic(keys);
        return new HeChunkTransformerState(KindName, StateVersion)
            .AddJson("options.json", _settings)
            .Add(KeysBlob, keys.ToArray());
    }

    internal static ChunkEncryptingTransformer Create(TransformsCatalog catalog, Settings settings, HeChunkKeys keys) => new(catalog, settings, keys);

    internal static ITransformer Restore(MLContext mlContext, HeChunkTransformerState state)
    {
        state.RequireVersion(StateVersion);
        var settings = state.GetJson<Settings>("options.json");
        HeChunkKeys saved = HeChunkKeys.LoadPublic(new MemoryStream(state.Get(KeysBlob)), HeChunkLoadKeys.AcceptedSecurity);
        // The client encrypts with the key set its caller passes, never with keys that merely came inside the zip:
        // a swapped zip would otherwise make the client encrypt to someone else's keys without a word.
        HeChunkKeys keys = settings.UseSecretKey == true
            ? HeChunkLoadKeys.RequireSecret(KindName, saved.KeySetId)
            : HeChunkLoadKeys.RequireKeys(KindName, saved.KeySetId);

        return new ChunkEncryptingTransformer(mlContext.Transforms, settings, keys);
    }

    /// <inheritdoc/>
    protected override void CheckInputSchema(DataViewSchema inputSchema)
    {
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName,
            $"Vector<Single, {Grid.VectorLength}> ({Grid.ChunkCount} chunks of {Grid.ChunkHeight} x {Grid.ChunkWidth})", Grid.VectorLength);
        ChunkEncryptingEstimator.RequireIndex(inputSchema, IndexColumnName, Grid.ChunkCount);
        if (_settings.DescriptorCount > 0)
        {
            ColumnCheck.RequireSingleVector(inputSchema, _settings.DescriptorsColumnName!, $"Vector<Single, {_settings.DescriptorCount}> of texture descriptors", _settings.DescriptorCount);
        }
    }

    /// <summary>Name of the texture-descriptor column encrypted with the chunks, or null when the encryptor sends none.</summary>
    public string? DescriptorsColumnName => _settings.DescriptorCount > 0 ? _settings.DescriptorsColumnName : null;

    private static ITransformer BuildMapping(TransformsCatalog catalog, Settings s, HeChunkKeys keys)
    {
        // Null (the default): seeded whenever the key set at hand holds the secret key, so a pipeline saved by the client
        // that made the keys and reloaded with public keys only still encrypts, with the public key.
        var encryptor = new ChunkGroupEncryptor(keys, s.Packing, s.Mode, s.UseSecretKey ?? keys.HasSecretKey, s.DegreeOfParallelism,
            refuseImagesWithoutEncryptedChunk: !s.AllowImagesWithoutEncryptedChunk);
        ChunkGrid grid = s.Grid;
        string column = s.InputColumnName;
        if (s.DescriptorCount > 0)
        {
            var described = DescribedDefinitions(s.OutputColumnName, s.InputColumnName, s.IndexColumnName, s.DescriptorsColumnName!, grid, s.DescriptorCount);
            return CustomMappingBuilder.Build<ChunkEncryptingDescribedInput, ChunkEncryptingOutput>(catalog, (src, dst) =>
            {
                Imaging.PixelGuard.RequireLength(src.Chunks.Length, grid.VectorLength, column);
                Imaging.PixelGuard.RequireFinite(src.Chunks, column);
                Imaging.PixelGuard.RequireLength(src.Descriptors.Length, s.DescriptorCount, s.DescriptorsColumnName!);
                Imaging.PixelGuard.RequireFinite(src.Descriptors, s.DescriptorsColumnName!);
                dst.Encrypted = encryptor.Encrypt(grid, src.Chunks, src.Index, src.Descriptors).ToBytes();
            }, DescribedContractName, described.Input, described.Output);
        }

        var (input, output) = Definitions(s.OutputColumnName, s.InputColumnName, s.IndexColumnName, s.Grid);
        return CustomMappingBuilder.Build<ChunkEncryptingInput, ChunkEncryptingOutput>(catalog, (src, dst) =>
        {
            Imaging.PixelGuard.RequireLength(src.Chunks.Length, grid.VectorLength, column);
            Imaging.PixelGuard.RequireFinite(src.Chunks, column);
            dst.Encrypted = encryptor.Encrypt(grid, src.Chunks, src.Index).ToBytes();
        }, ContractName, input, output);
    }

    internal static (SchemaDefinition Input, SchemaDefinition Output) Definitions(string outputColumn, string inputColumn, string indexColumn, ChunkGrid? grid) =>
        (CustomMappingBuilder.Define<ChunkEncryptingInput>(
            (nameof(ChunkEncryptingInput.Chunks), inputColumn, OutputShape.Vector(NumberDataViewType.Single, grid?.VectorLength)),
            (nameof(ChunkEncryptingInput.Index), indexColumn, OutputShape.Vector(NumberDataViewType.Int32, grid?.ChunkCount))),
         CustomMappingBuilder.Define<ChunkEncryptingOutput>(
            (nameof(ChunkEncryptingOutput.Encrypted), outputColumn, new VectorDataViewType(NumberDataViewType.Byte))));

    internal static (SchemaDefinition Input, SchemaDefinition Output) DescribedDefinitions(string outputColumn, string inputColumn, string indexColumn,
        string descriptorsColumn, ChunkGrid? grid, int? descriptorCount) =>
        (CustomMappingBuilder.Define<ChunkEncryptingDescribedInput>(
            (nameof(ChunkEncryptingDescribedInput.Chunks), inputColumn, OutputShape.Vector(NumberDataViewType.Single, grid?.VectorLength)),
            (nameof(ChunkEncryptingDescribedInput.Index), indexColumn, OutputShape.Vector(NumberDataViewType.Int32, grid?.ChunkCount)),
            (nameof(ChunkEncryptingDescribedInput.Descriptors), descriptorsColumn, OutputShape.Vector(NumberDataViewType.Single, descriptorCount))),
         CustomMappingBuilder.Define<ChunkEncryptingOutput>(
            (nameof(ChunkEncryptingOutput.Encrypted), outputColumn, new VectorDataViewType(NumberDataViewType.Byte))));

    /// <summary>Fitted settings; <paramref name="DescriptorCount"/> 0 means no descriptors are encrypted.</summary>
    internal sealed record Settings(string OutputColumnName, string InputColumnName, string IndexColumnName, ChunkGrid Grid,
        EncryptionMode Mode, ChunkPacking Packing, bool? UseSecretKey, int DegreeOfParallelism, bool AllowImagesWithoutEncryptedChunk = false,
        string? DescriptorsColumnName = null, int DescriptorCount = 0);
}

/// <summary>
/// Estimator for <see cref="ChunkEncryptingTransformer"/> (the brief's CkksEncryptor); created by <see cref="HeChunkCatalog.EncryptChunks"/>.
/// Nothing is learned: fitting fixes the grid from the options and the input vector sizes.
/// </summary>
public sealed class ChunkEncryptingEstimator : IEstimator<ChunkEncryptingTransformer>
{
    private readonly TransformsCatalog _catalog;
    private readonly ChunkEncryptionOptions _options;
    private readonly HeChunkKeys _keys;

    internal ChunkEncryptingEstimator(TransformsCatalog catalog, string outputColumnName, HeChunkKeys keys, string inputColumnName, ChunkEncryptionOptions options)
    {
        _catalog = catalog;
        _keys = keys;
        _options = options;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName;
        options.ValidateLayout();
        if (options.UseSecretKey == true && !keys.HasSecretKey)
        {
            throw new ArgumentException("UseSecretKey needs a key set that holds the secret key", nameof(keys));
        }

        if (!Enum.IsDefined(options.Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"unknown encryption mode {options.Mode}");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.DegreeOfParallelism, 1);
        options.Packing.Validate(options.ChunkHeight, keys.Parameters.SlotCount);
    }

    /// <summary>Name of the encrypted column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>Name of the chunk column read.</summary>
    public string InputColumnName { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing, of the wrong type or of the wrong size.</exception>
    public ChunkEncryptingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int length = ColumnCheck.RequireSingleVector(input.Schema, InputColumnName, "known-size Vector<Single> of chunk pixels");
        int chunks = RequireIndex(input.Schema, _options.IndexColumnName, null);
        ChunkGrid grid = _options.ResolveChunkGrid(InputColumnName, length, chunks);
        if (_options.Mode != EncryptionMode.WholeImage)
        {
            // Refuse a layout that cannot fit in a ciphertext now rather than at the first row.
            _ = new PlaneLayout(_options.Packing, grid.ChunkHeight, _keys.Parameters.SlotCount, grid.ChunkCount);
        }

        // Descriptors are encrypted when the named column is present (PrepareChunks adds it); a model with a descriptor head needs them.
        int descriptorCount = _options.DescriptorsColumnName is { } name && input.Schema.GetColumnOrNull(name) is not null
            ? ColumnCheck.RequireSingleVector(input.Schema, name, "known-size Vector<Single> of texture descriptors")
            : 0;
        var settings = new ChunkEncryptingTransformer.Settings(OutputColumnName, InputColumnName, _options.IndexColumnName, grid,
            _options.Mode, _options.Packing, _options.UseSecretKey, _options.DegreeOfParallelism, _options.AllowImagesWithoutEncryptedChunk,
            _options.DescriptorsColumnName, descriptorCount);
        return ChunkEncryptingTransformer.Create(_catalog, settings, _keys);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnCheck.RequireSingleVector(inputSchema, InputColumnName, "known-size Vector<Single> of chunk pixels");
        var index = inputSchema.Where(c => c.Name == _options.IndexColumnName).ToList();
        if (index.Count == 0 || index[^1].ItemType != NumberDataViewType.Int32 || index[^1].Kind != SchemaShape.Column.VectorKind.Vector)
        {
            throw ColumnCheck.Mismatch(nameof(inputSchema), _options.IndexColumnName, "known-size Vector<Int32> (the Sobel gate's index)",
                index.Count == 0 ? "no such column" : $"{index[^1].Kind} of {index[^1].ItemType}");
        }

        if (_options.DescriptorsColumnName is { } descriptors && inputSchema.Any(c => c.Name == descriptors))
        {
            ColumnCheck.RequireSingleVector(inputSchema, descriptors, "known-size Vector<Single> of texture descriptors");
            var described = ChunkEncryptingTransformer.DescribedDefinitions(OutputColumnName, InputColumnName, _options.IndexColumnName, descriptors, null, null);
            return OutputShape.Of<ChunkEncryptingDescribedInput, ChunkEncryptingOutput>(_catalog, inputSchema, described.Input, described.Output);
        }

        var (input, output) = ChunkEncryptingTransformer.Definitions(OutputColumnName, InputColumnName, _options.IndexColumnName, null);
        return OutputShape.Of<ChunkEncryptingInput, ChunkEncryptingOutput>(_catalog, inputSchema, input, output);
    }

    internal static int RequireIndex(DataViewSchema schema, string column, int? size)
    {
        var found = schema.GetColumnOrNull(column)
            ?? throw ColumnCheck.Mismatch(nameof(schema), column, "Vector<Int32> (the Sobel gate's index)", "no such column");
        if (found.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Int32
            || (size is int s && vector.Size != s))
        {
            throw ColumnCheck.Mismatch(nameof(schema), column, $"Vector<Int32{(size is int n ? $", {n}" : "")}> (the Sobel gate's index)", found.Type.ToString() ?? "?");
        }

        return vector.Size;
    }
}
