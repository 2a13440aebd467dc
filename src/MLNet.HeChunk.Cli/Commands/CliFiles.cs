using System.IO.Compression;
using Microsoft.ML;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary>Reads the files the verbs exchange, turning every damaged or missing file into a one-line <see cref="CliException"/>.</summary>
internal static class CliFiles
{
    /// <summary>The public key file in a key folder.</summary>
    public static string PublicKeysPath(string folder) => Path.Combine(folder, Experiment.ExperimentRunner.PublicKeysFile);

    /// <summary>The secret key file in a key folder.</summary>
    public static string SecretKeyPath(string folder) => Path.Combine(folder, Experiment.ExperimentRunner.SecretKeyFile);

    /// <summary>Loads the public keys of a key folder (what a server holds).</summary>
    public static HeChunkKeys LoadPublicKeys(string folder)
    {
        string path = PublicKeysPath(folder);
        RequireFile(path, "public key file");
        try
        {
            return HeChunkKeys.LoadPublic(path);
        }
        catch (InvalidDataException e)
        {
            // The library's message already names the file and the problem.
            throw new CliException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"public key file '{path}': {e.Message}");
        }
    }

    /// <summary>Loads the full key set of a key folder (what the client holds).</summary>
    public static HeChunkKeys LoadClientKeys(string folder, string? passphrase = null)
    {
        string publicPath = PublicKeysPath(folder), secretPath = SecretKeyPath(folder);
        RequireFile(publicPath, "public key file");
        RequireFile(secretPath, "secret key file");
        try
        {
            return HeChunkKeys.Load(publicPath, secretPath, passphrase);
        }
        catch (InvalidDataException e)
        {
            throw new CliException(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"key files in '{folder}': {e.Message}");
        }
    }

    /// <summary>Loads a model zip written by <c>hechunk experiment</c> (client pipeline and plaintext scorer).</summary>
    public static ITransformer LoadModel(MLContext ml, string path, out DataViewSchema inputSchema, HeChunkKeys? keys = null)
    {
        RequireFile(path, "model file");
        try
        {
            return HeChunkModel.Load(ml, path, out inputSchema, keys);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidOperationException or FormatException or ArgumentException
            or System.Text.Json.JsonException or KeyNotFoundException or NotSupportedException)
        {
            throw new CliException($"model file '{path}' is not a readable hechunk model zip: {ErrorMessage.Describe(e)}");
        }
    }

    /// <summary>
    /// The chunk CNN weights: from a weights file (<c>chunk-cnn.weights</c>) or from the scorer inside a model zip.
    /// </summary>
    public static ChunkCnnWeights LoadWeights(MLContext ml, string path)
    {
        RequireFile(path, "model file");
        if (IsZip(path))
        {
            ITransformer model = LoadModel(ml, path, out _);
            return HeChunkModel.FindAll<ChunkCnnScoringTransformer>(model).FirstOrDefault()?.Weights
                ?? throw new CliException($"model file '{path}' holds no chunk CNN scorer");
        }

        try
        {
            return ChunkCnnWeightsSerializer.Deserialize(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            throw new CliException($"model file '{path}' is not a chunk CNN weights file: {e.Message}");
        }
    }

    /// <summary>Loads a binary IDataView written by another verb.</summary>
    public static IDataView LoadDataFile(MLContext ml, string path, params string[] requiredColumns)
    {
        RequireFile(path, "input file");
        IDataView data;
        try
        {
            data = ml.Data.LoadFromBinary(path);
            _ = data.Schema.Count;
        }
        catch (Exception e) when (e is not CliException and not OutOfMemoryException)
        {
            throw new CliException($"input file '{path}' is not a binary ML.NET data file: {ErrorMessage.Describe(e)}");
        }

        foreach (string column in requiredColumns)
        {
            if (data.Schema.GetColumnOrNull(column) is null)
            {
                throw new CliException($"input file '{path}' has no '{column}' column (columns: {string.Join(", ", data.Schema.Select(c => c.Name))})");
            }
        }

        return data;
    }

    /// <summary>
    /// Saves <paramref name="data"/> as a binary IDataView through a temporary file and a rename, so a failure leaves
    /// any previous file at <paramref name="path"/> intact.
    /// </summary>
    public static void SaveDataFile(MLContext ml, IDataView data, string path)
    {
        try
        {
            IO.SafeFile.Write(path, stream => ml.Data.SaveAsBinary(data, stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"output file '{path}': {e.Message}");
        }
    }

    /// <summary>Reads a key folder's class names (<c>classes.txt</c>), or null when the folder has none.</summary>
    public static string[]? ReadClassNames(string folder)
    {
        string path = KeyFolders.ClassNamesPath(folder);
        if (!File.Exists(path))
        {
            return null;
        }

        string[] names = [.. File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0)];
        return names.Length >= 2 && names.Distinct(StringComparer.Ordinal).Count() == names.Length
            ? names
            : throw new CliException($"class name file '{path}': needs at least two distinct names, one per line; found {names.Length}");
    }

    /// <summary>Throws a one-line error when <paramref name="path"/> is not an existing file.</summary>
    public static void RequireFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"{what} '{path}' does not exist");
        }
    }

    private static bool IsZip(string path)
    {
        try
        {
            using ZipArchive archive = ZipFile.OpenRead(path);
            return true;
        }
        catch (InvalidDataException)
        {
            // Not a zip: a weights file, or a damaged zip whose weights read then reports the problem.
            using var stream = File.OpenRead(path);
            return stream.ReadByte() == 'P' && stream.ReadByte() == 'K';
        }
    }
}
