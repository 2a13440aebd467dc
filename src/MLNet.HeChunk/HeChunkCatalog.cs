using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Gating;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk;

/// <summary>
/// Entry points of the suite on <c>mlContext.Transforms</c>. A client pipeline reads:
/// <code>
/// mlContext.Transforms.LoadImages("Image", imageFolder, "ImagePath")
///     .Append(mlContext.Transforms.ResizeImages("Image", 112, 112))
///     .Append(mlContext.Transforms.ConvertToGrayscale("Image"))
///     .Append(mlContext.Transforms.ExtractPixels("Pixels", "Image"))
///     .Append(mlContext.Transforms.EqualizeHistogram("Pixels"))
///     .Append(mlContext.Transforms.SplitChunks("Chunks", "Pixels"))
///     .Append(mlContext.Transforms.SobelGate("ChunkIndex", "Pixels"));
/// </code>
/// Save and load fitted models with <see cref="Persistence.HeChunkModel"/>.
/// </summary>
public static class HeChunkCatalog
{
    /// <summary>
    /// Histogram equalization (the paper's Eq. 1) of a grayscale pixel vector on the 0-255 scale, as
    /// <c>ExtractPixels</c> gives it; values are rounded to the nearest level and clamped to [0, 255] first
    /// (see <see cref="Imaging.HistogramEqualizer"/>).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column to write: a vector of the input's size.</param>
    /// <param name="inputColumnName">Known-size <c>Vector&lt;Single&gt;</c> of pixels; defaults to <paramref name="outputColumnName"/>.</param>
    public static HistogramEqualizingEstimator EqualizeHistogram(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        return new HistogramEqualizingEstimator(catalog, outputColumnName, inputColumnName ?? outputColumnName);
    }

    /// <summary>
    /// Texture descriptors of an image (<see cref="Imaging.TextureFeatures"/>: grey-level statistics, Sobel gradients, GLCM,
    /// LBP, colour means): the input of the chunk CNN's descriptor head, computed by the client and encrypted with the chunks.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column to write: <c>Vector&lt;Single, TextureFeatures.Count(channels)&gt;</c>.</param>
    /// <param name="inputColumnName">Known-size <c>Vector&lt;Single&gt;</c> of a square image on 0-255, planar (channel after channel).</param>
    /// <param name="channels">1 (grey) or 3 (RGB, as <c>ExtractPixels(interleavePixelColors: false)</c> gives it).</param>
    public static TextureDescribingEstimator DescribeTexture(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, int channels = 3)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        return new TextureDescribingEstimator(catalog, outputColumnName, inputColumnName, channels);
    }

    /// <summary>
    /// The brief's ChunkSplitter. Cuts an H x W pixel vector into ordered chunks (row-major chunk order, row-major pixels inside a chunk),
    /// written as one chunk-major <c>Vector&lt;Single, k * chunkH * chunkW&gt;</c>; see <see cref="ChunkGrid"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column to write.</param>
    /// <param name="inputColumnName">Known-size <c>Vector&lt;Single&gt;</c> of pixels; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="options">Chunk size (default 28 x 28), image size (default: square, inferred) and padding (default: refuse).</param>
    /// <exception cref="ArgumentException">The options are inconsistent (for example a chunk size that does not divide a given image size without padding).</exception>
    public static ChunkSplittingEstimator SplitChunks(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        ChunkSplittingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        return new ChunkSplittingEstimator(catalog, outputColumnName, inputColumnName ?? outputColumnName,
            (options ?? new ChunkSplittingOptions()).Snapshot<ChunkSplittingOptions>());
    }

    /// <summary>The inverse of <see cref="SplitChunks"/>: reassembles the image from a chunk vector, dropping padding.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column to write: a <c>Vector&lt;Single, H * W&gt;</c>.</param>
    /// <param name="inputColumnName">Chunk vector column; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="options">The layout the chunks were cut with (use <see cref="ChunkLayoutOptions.UseGrid"/> with the splitter's grid).</param>
    public static ChunkMergingEstimator MergeChunks(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        ChunkMergingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        return new ChunkMergingEstimator(catalog, outputColumnName, inputColumnName ?? outputColumnName,
            (options ?? new ChunkMergingOptions()).Snapshot<ChunkMergingOptions>());
    }

    /// <summary>
    /// The brief's SobelGate, the paper's feature gate: Sobel gradient magnitude of the whole image, one score per chunk (default: mean
    /// magnitude, saturated to 0-255), and the signed chunk index (+i when the score is above the threshold,
    /// default 100; -i otherwise; i = 1..k row-major). Writes the index vector to <paramref name="outputColumnName"/>
    /// and the scores to <see cref="SobelGateOptions.ScoresColumnName"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column to write the <c>Vector&lt;Int32, k&gt;</c> of signed indices to.</param>
    /// <param name="inputColumnName">The whole image (not the chunks): a known-size <c>Vector&lt;Single&gt;</c>; defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="options">Layout (use the splitter's), statistic, scale and threshold.</param>
    /// <exception cref="ArgumentException">The options are inconsistent (for example a threshold no score can exceed).</exception>
    public static SobelGateEstimator SobelGate(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        SobelGateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        return new SobelGateEstimator(catalog, outputColumnName, inputColumnName ?? outputColumnName,
            (options ?? new SobelGateOptions()).Snapshot<SobelGateOptions>());
    }

    /// <summary>
    /// The brief's CkksEncryptor. Encrypts each row's chunk group with CKKS (client side): the feature chunks (default), all chunks, or the whole
    /// image, into one serialized <see cref="Encryption.EncryptedChunkGroup"/> per row (<c>Vector&lt;Byte&gt;</c>).
    /// Ship only that column (and the label, for evaluation) to the server.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">Column to write.</param>
    /// <param name="keys">The key set; public material only, unless <see cref="Encryption.ChunkEncryptionOptions.UseSecretKey"/> is set.</param>
    /// <param name="inputColumnName">The chunk vector (from <see cref="SplitChunks"/>); defaults to <paramref name="outputColumnName"/>.</param>
    /// <param name="options">Index column, mode, packing and layout.</param>
    public static ChunkEncryptingEstimator EncryptChunks(this TransformsCatalog catalog, string outputColumnName, Encryption.HeChunkKeys keys,
        string? inputColumnName = null, Encryption.ChunkEncryptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        ArgumentNullException.ThrowIfNull(keys);
        return new ChunkEncryptingEstimator(catalog, outputColumnName, keys, inputColumnName ?? outputColumnName,
            (options ?? new Encryption.ChunkEncryptionOptions()).Snapshot<Encryption.ChunkEncryptionOptions>());
    }

    /// <summary>
    /// Decrypts the server's encrypted scores (client side) into <c>Score</c> and <c>PredictedLabel</c> columns ready for
    /// <c>mlContext.MulticlassClassification.Evaluate</c>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="keys">The client's key set, with its secret key.</param>
    /// <param name="classNames">Class names in the model's class order (slot names of Score, key values of PredictedLabel).</param>
    /// <param name="inputColumnName">The encrypted scores column.</param>
    /// <param name="scoreColumnName">The probabilities column to write.</param>
    /// <param name="predictedLabelColumnName">The predicted key column to write.</param>
    /// <param name="floodingBits">
    /// When positive, each decrypted logit is noise-flooded to this statistical security level before the softmax
    /// (<see cref="Encryption.ScoreNoiseFlooding"/>, one adversarial query, error bound from the imaginary parts): use it
    /// when scores leave the client. 0 (the default) keeps full precision, which must then stay on the client.
    /// </param>
    public static ScoreDecryptingEstimator DecryptScores(this TransformsCatalog catalog, Encryption.HeChunkKeys keys, IReadOnlyList<string> classNames,
        string inputColumnName = "EncryptedScores", string scoreColumnName = "Score", string predictedLabelColumnName = "PredictedLabel",
        int floodingBits = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(scoreColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(predictedLabelColumnName);
        return new ScoreDecryptingEstimator(catalog, keys, classNames, inputColumnName, scoreColumnName, predictedLabelColumnName, floodingBits);
    }

    /// <summary>
    /// Scores plaintext chunks with a trained chunk CNN: <c>Score</c> and <c>PredictedLabel</c> columns ready for
    /// <c>mlContext.MulticlassClassification.Evaluate</c>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="weights">The trained weights.</param>
    /// <param name="classNames">Class names in the model's class order.</param>
    /// <param name="inputColumnName">The chunk vector column (pixels 0-255, chunk-major).</param>
    /// <param name="scoreColumnName">The probabilities column to write.</param>
    /// <param name="predictedLabelColumnName">The predicted key column to write.</param>
    /// <param name="descriptorsColumnName">The texture-descriptor column, read when the model has a descriptor head.</param>
    public static FixedScorerEstimator<ChunkCnnScoringTransformer> ScoreChunkCnn(this TransformsCatalog catalog, Cnn.ChunkCnnWeights weights,
        IReadOnlyList<string> classNames, string inputColumnName = "Chunks", string scoreColumnName = "Score", string predictedLabelColumnName = "PredictedLabel",
        string descriptorsColumnName = "Descriptors")
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrWhiteSpace(descriptorsColumnName);
        ClassColumns.RequireClassNames(classNames);
        var settings = new ChunkCnnScoringTransformer.Settings(inputColumnName, scoreColumnName, predictedLabelColumnName, [.. classNames], descriptorsColumnName);
        var transformer = ChunkCnnScoringTransformer.Create(catalog, settings, weights);
        return new FixedScorerEstimator<ChunkCnnScoringTransformer>(transformer, shape =>
        {
            ColumnCheck.RequireSingleVector(shape, inputColumnName, "known-size Vector<Single> of chunk pixels");
            if (weights.DescriptorHead is not null)
            {
                ColumnCheck.RequireSingleVector(shape, settings.DescriptorsColumnName, "known-size Vector<Single> of texture descriptors (the model has a descriptor head)");
            }

            return ChunkCnnScoringTransformer.OutputShapeOf(catalog, shape, settings, weights);
        });
    }

    /// <summary>
    /// The brief's EncryptedCnnScorer. Scores encrypted chunk groups with a trained chunk CNN (server side), writing encrypted scores that only the
    /// client can decrypt (<see cref="DecryptScores"/>). Needs evaluation keys only.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="weights">The trained weights.</param>
    /// <param name="keys">The client's key set (its public part is used and saved; the secret key is ignored).</param>
    /// <param name="outputColumnName">The encrypted scores column to write.</param>
    /// <param name="inputColumnName">The encrypted chunk groups column (from <see cref="EncryptChunks"/>).</param>
    /// <param name="degreeOfParallelism">Threads used inside one image's evaluation.</param>
    /// <exception cref="ArgumentException">The keys lack a rotation the model needs (the message names the step).</exception>
    public static FixedScorerEstimator<EncryptedCnnScoringTransformer> ScoreEncryptedChunkCnn(this TransformsCatalog catalog, Cnn.ChunkCnnWeights weights,
        Encryption.HeChunkKeys keys, string outputColumnName = "EncryptedScores", string inputColumnName = "EncryptedChunks", int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(keys);
        var settings = new EncryptedCnnScoringTransformer.Settings(outputColumnName, inputColumnName, degreeOfParallelism);
        var transformer = EncryptedCnnScoringTransformer.Create(catalog, settings, weights, keys);
        return new FixedScorerEstimator<EncryptedCnnScoringTransformer>(transformer, shape =>
        {
            var found = shape.Where(c => c.Name == inputColumnName).ToList();
            if (found.Count == 0 || found[^1].ItemType != Microsoft.ML.Data.NumberDataViewType.Byte)
            {
                throw ColumnCheck.Mismatch("inputSchema", inputColumnName, "Vector<Byte> (serialized encrypted chunk groups)",
                    found.Count == 0 ? "no such column" : found[^1].ItemType.ToString() ?? "?");
            }

            var (input, output) = EncryptedCnnScoringTransformer.Definitions(settings);
            return OutputShape.Of<EncryptedCnnScoringInput, EncryptedCnnScoringOutput>(catalog, shape, input, output);
        });
    }

    /// <summary>
    /// The paper's whole client-side preprocessing as one chain: load the image at <paramref name="imagePathColumnName"/>,
    /// resize to a square (<see cref="ChunkPreparationOptions.Resizing"/>), texture descriptors of the colour image (<c>Descriptors</c>),
    /// grayscale, one channel of pixels (<c>Pixels</c>), histogram equalization, chunks
    /// (<c>Chunks</c>), and the Sobel gate (<c>ChunkIndex</c>, <c>ChunkScores</c>). Append
    /// <see cref="EncryptChunks"/> to encrypt.
    /// </summary>
    /// <remarks>
    /// The image decoder trusts each file's header. Paths listed by <see cref="Data.ImageFolderDataset"/> have been
    /// checked by <see cref="Imaging.ImageHeaderReader"/> (pixel limit, bit depth, truncation); check paths from
    /// anywhere else with <see cref="Imaging.ImageHeaderReader.Read(string, Imaging.ImageLimits?)"/> before this
    /// pipeline sees them, or a small file claiming a huge image can exhaust memory.
    /// </remarks>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="imagePathColumnName">Text column holding each image's path.</param>
    /// <param name="options">Image and chunk sizes, threshold, image folder.</param>
    public static IEstimator<ITransformer> PrepareChunks(this TransformsCatalog catalog, string imagePathColumnName = "ImagePath",
        ChunkPreparationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(imagePathColumnName);
        options ??= new ChunkPreparationOptions();
        int side = options.ImageSide, chunk = options.ChunkSide;
        return new EstimatorChain<ITransformer>()
            .Append(catalog.LoadImages("Image", options.ImageFolder, imagePathColumnName))
            .Append(catalog.ResizeImages("Image", side, side, resizing: options.Resizing))
            // Descriptors from the colour image before grayscale and equalization: colour and brightness carry class information.
            .Append(catalog.ExtractPixels("ColorPixels", "Image", interleavePixelColors: false))
            .Append(catalog.DescribeTexture("Descriptors", "ColorPixels"))
            .Append(catalog.ConvertToGrayscale("Image"))
            // One channel: ExtractPixels takes R, G and B by default, which would triple a grayscale image.
            .Append(catalog.ExtractPixels("Pixels", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red))
            .Append(catalog.EqualizeHistogram("Pixels"))
            .Append(catalog.SplitChunks("Chunks", "Pixels", new ChunkSplittingOptions { ChunkHeight = chunk, ChunkWidth = chunk }))
            .Append(catalog.SobelGate("ChunkIndex", "Pixels", new SobelGateOptions { ChunkHeight = chunk, ChunkWidth = chunk, Threshold = options.Threshold }));
    }
}
