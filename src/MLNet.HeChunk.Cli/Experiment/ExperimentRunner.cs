using System.Diagnostics;
using Microsoft.ML;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;
using MLNet.HeChunk.Cli.Privacy;
using MLNet.HeChunk.Cli.Reporting;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Datasets.Synthetic;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Scoring;
using MLNet.HeChunk.Training;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>
/// <c>hechunk experiment</c>: data, client pipeline, split, training of both CNNs, keys, encryption in three modes,
/// encrypted scoring in two, decryption, evaluation, privacy audit, model and key files, report. Each step shows a
/// progress bar; the figures go to report.json, report.md and report.html.
/// </summary>
internal sealed class ExperimentRunner(CliContext context, ExperimentSettings settings)
{
    /// <summary>File names written to the output folder.</summary>
    public const string ModelFile = "model.zip", WeightsFile = "chunk-cnn.weights", OriginalFile = "original-cnn.bin",
        PublicKeysFile = "public.keys", SecretKeyFile = "secret.key", ClassesFile = "classes.txt";

    private readonly Dictionary<string, double> _steps = [];

    /// <summary>Runs the experiment and writes every output.</summary>
    public ExperimentReport Run()
    {
        var total = Stopwatch.StartNew();
        string outFolder = Path.GetFullPath(settings.OutFolder);
        Directory.CreateDirectory(outFolder);
        var ml = new MLContext(settings.Seed);
        var report = new ExperimentReport { Command = settings.CommandLine };
        int threads = Math.Max(1, settings.Threads);

        context.Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                // 1. Data.
                string dataFolder = settings.DataFolder ?? GenerateSynthetic(progress, Path.Combine(outFolder, "data"));
                DataSplit split = Step("split", () => DataSplit.Load(dataFolder).LimitTest(settings.TestLimit));
                IReadOnlyList<string> classes = split.ClassNames;
                report.Data = new DataSummary
                {
                    Folder = dataFolder, Synthetic = settings.DataFolder is null, Classes = [.. classes], TrainImages = split.Train.Count,
                    TestImages = split.Test.Count, Split = split.Rule, Threshold = settings.Threshold, ChunkSide = settings.ChunkSide,
                };

                // 2. Client pipeline over every image.
                var pipeline = ClientPipeline.Create(ml, settings.ChunkSide, settings.Threshold);
                var trainView = ml.Data.LoadFromEnumerable(split.Train);
                ITransformer client = pipeline.Fit(trainView);
                var task = progress.AddTask($"Preprocess {split.Train.Count + split.Test.Count} images (ML.NET client pipeline)", maxValue: split.Train.Count + split.Test.Count);
                var (train, test) = Step("preprocess", () => (
                    Preprocessor.Run(ml, client, split.Train, classes, () => task.Increment(1)),
                    Preprocessor.Run(ml, client, split.Test, classes, () => task.Increment(1))));
                task.StopTask();
                report.FeatureChunkFraction = test.Sum(i => i.FeatureChunkCount) / (double)test.Sum(i => i.ChunkIndex.Length);
                report.Gate = GateStatistics(test, classes.Count);
                SampleImages.Write(Path.Combine(outFolder, ReportFiles.SamplesPng), test, classes, settings.ChunkSide);

                // 3. Training.
                ImageDataset trainSet = PreparedImage.ToDataset(train, classes.Count);
                using TrainedOriginalCnn original = Step("train original CNN", () => TrainOriginal(progress, trainSet, threads));
                using TrainedChunkCnn chunkCnn = Step("train chunk CNN", () => TrainChunk(progress, trainSet));
                report.Training.Add(Summary("original CNN", original.History));
                report.Training.Add(Summary("chunk CNN", chunkCnn.History));
                ChunkCnnWeights weights = chunkCnn.ExportWithLogitBound(16);
                var packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
                var grid = new ChunkGrid(ClientPipeline.ImageSide, ClientPipeline.ImageSide, settings.ChunkSide, settings.ChunkSide);

                // 4. Plaintext evaluation of both models on the test set.
                int[] labels = [.. test.Select(i => i.ClassIndex)];
                ModelResult originalResult = ClassificationEvaluation.Evaluate(ml, "original CNN", labels, original.Logits([.. test.Select(i => i.Pixels)]), classes);
                var plain = new PlainChunkCnn(weights);
                List<double[]> plainLogits = [.. test.Select(i => plain.Logits(i.Chunks, i.Descriptors))];
                ModelResult plainResult = ClassificationEvaluation.Evaluate(ml, "plaintext chunk CNN", labels, plainLogits, classes);
                ModelResult baselineResult = Step("gradient-boosted baseline", () => ClassificationEvaluation.Evaluate(ml, "plaintext gradient-boosted trees on texture descriptors",
                    labels, TextureBaseline.TrainAndScore(ml, train, test, classes.Count), classes));

                // 5. Keys.
                var keyTask = progress.AddTask("Generate CKKS keys (N = 8192, 128-bit)", maxValue: 1);
                var keyWatch = Stopwatch.StartNew();
                CkksParameters parameters = CkksParameters.Create(CkksPresets.N8192ChunkCnn);
                HeChunkKeys keys = HeChunkKeys.GenerateForChunkCnn(parameters, packing, settings.ChunkSide, threads);
                _steps["keys"] = keyWatch.Elapsed.TotalSeconds;
                keyTask.Increment(1);
                keyTask.StopTask();
                // client/ holds the key set with its secret key (0600), server/ only what a server may see.
                var (clientFolder, _) = Commands.KeyFolders.WriteSplit(keys, outFolder, classes, passphrase: null, force: true);
                report.Keys = KeySizes(keys, clientFolder, keyWatch.Elapsed.TotalMilliseconds);
                report.SecurityBits = parameters.IsSecure ? 128 : 0;
                report.EvaluationKeyBytes = report.Keys.RelinearizationKeyBytes + report.Keys.GaloisKeyBytes;

                // 6. Table 2: encryption in the three modes.
                var timingImages = test.Take(Math.Max(1, Math.Min(settings.TimingImages, test.Count))).ToList();
                var timeTask = progress.AddTask($"Encrypt {timingImages.Count} images x 3 modes (Table 2)", maxValue: timingImages.Count * 3);
                report.EncryptionCosts = Step("encryption timing", () => EncryptionBenchmark.Run(keys.PublicOnly(), packing, grid, timingImages, threads, () => timeTask.Increment(1)));
                timeTask.StopTask();
                double Ms(EncryptionMode m) => report.EncryptionCosts.Single(c => c.Mode == m.ToString()).EncryptMs;
                report.EncryptionMsPerImage = new EncryptionTimes { WholeImage = Ms(EncryptionMode.WholeImage), AllChunks = Ms(EncryptionMode.AllChunks), FeatureChunks = Ms(EncryptionMode.FeatureChunks) };

                // 7. Encrypted scoring of the test set in the two modes the chunk CNN serves.
                var scored = test.Take(Math.Min(settings.EncryptedLimit ?? test.Count, test.Count)).ToList();
                report.Data.EncryptedTestImages = scored.Count;
                int[] scoredLabels = [.. scored.Select(i => i.ClassIndex)];
                ModelResult plainOnScored = ClassificationEvaluation.Evaluate(ml, "plaintext chunk CNN", scoredLabels, plainLogits.Take(scored.Count).ToList(), classes);
                var encryptedResults = new Dictionary<EncryptionMode, ModelResult>();
                foreach (EncryptionMode mode in new[] { EncryptionMode.FeatureChunks, EncryptionMode.AllChunks })
                {
                    var scoreTask = progress.AddTask($"Encrypted scoring, {Describe(mode)} ({scored.Count} images)", maxValue: scored.Count);
                    var result = Step($"encrypted scoring {mode}", () => EncryptedInference.Run(keys, weights, grid, mode, scored, threads, () => scoreTask.Increment(1)));
                    scoreTask.StopTask();
                    ModelResult evaluated = ClassificationEvaluation.Evaluate(ml, $"encrypted chunk CNN ({Describe(mode)})", scoredLabels, result.Logits, classes);
                    encryptedResults[mode] = evaluated;
                    result.Latency.Accuracy = evaluated.Accuracy;
                    result.Latency.Agreement = scored.Count == 0 ? 1 : evaluated.Predictions.Zip(plainOnScored.Predictions).Count(p => p.First == p.Second) / (double)scored.Count;
                    result.Latency.MaxLogitError = result.Logits.Zip(plainLogits).SelectMany(p => p.First.Zip(p.Second, (a, b) => Math.Abs(a - b))).DefaultIfEmpty(0).Max();
                    report.Latency.Add(result.Latency);
                }

                LatencyBreakdown feature = report.Latency[0];
                report.Agreement = feature.Agreement;
                report.MaxLogitError = report.Latency.Max(l => l.MaxLogitError);
                report.InferenceMsPerImage = feature.ServerEvaluateMs;
                report.UploadBytesPerImage = feature.UploadBytes;
                report.Accuracy = new AccuracySummary
                {
                    OriginalCnn = originalResult.Accuracy,
                    PlainChunkCnn = plainResult.Accuracy,
                    EncryptedChunkCnn = encryptedResults[EncryptionMode.FeatureChunks].Accuracy,
                    EncryptedChunkCnnAllChunks = encryptedResults[EncryptionMode.AllChunks].Accuracy,
                    PlainChunkCnnOnEncryptedImages = plainOnScored.Accuracy,
                    GradientBoostedBaseline = baselineResult.Accuracy,
                    GradientBoostedBaselineDescription = TextureBaseline.Description,
                    EncryptedBeatsBaselines = encryptedResults[EncryptionMode.AllChunks].Accuracy > Math.Max(originalResult.Accuracy, baselineResult.Accuracy),
                };
                report.Models = [originalResult, baselineResult, plainResult, encryptedResults[EncryptionMode.FeatureChunks], encryptedResults[EncryptionMode.AllChunks]];

                // 8. Privacy audit.
                var auditTask = progress.AddTask("Privacy audit (FastTree attacker, 4 views)", maxValue: 4);
                int slots = parameters.SlotCount;
                report.Leakage = Step("privacy audit", () => LeakageAudit.Run(ml, train, test, settings.ChunkSide, classes.Count,
                    encrypted => SizeTable.ChunkCiphertexts(packing, settings.ChunkSide, slots, encrypted), () => auditTask.Increment(1)));
                auditTask.StopTask();

                // 9. Table 1 and the saved model.
                report.SizeTable = SizeTable.Build(packing, settings.ChunkSide);
                report.SizeTableNote = SizeTableNote(keys, report.SizeTable);
                var scorerModel = client.Append(ml.Transforms.ScoreChunkCnn(weights, classes, "Chunks").Fit(client.Transform(trainView)));
                HeChunkModel.Save(ml, scorerModel, trainView.Schema, Path.Combine(outFolder, ModelFile));
                File.WriteAllBytes(Path.Combine(outFolder, WeightsFile), ChunkCnnWeightsSerializer.Serialize(weights));
                File.WriteAllBytes(Path.Combine(outFolder, OriginalFile), original.Save());
            });

        report.StepSeconds = _steps;
        report.TotalSeconds = total.Elapsed.TotalSeconds;
        report.FinishedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        ReportFiles.WriteAll(report, outFolder);
        return report;
    }

    private static string Describe(EncryptionMode mode) => mode switch
    {
        EncryptionMode.FeatureChunks => "feature chunks",
        EncryptionMode.AllChunks => "all chunks",
        _ => "whole image",
    };

    private T Step<T>(string name, Func<T> work)
    {
        var watch = Stopwatch.StartNew();
        T result = work();
        _steps[name] = watch.Elapsed.TotalSeconds;
        return result;
    }

    private string GenerateSynthetic(ProgressContext progress, string folder)
    {
        var options = new SyntheticDataOptions
        {
            Width = settings.SyntheticSide, Height = settings.SyntheticSide, ImagesPerClass = settings.SyntheticImagesPerClass,
            Seed = (ulong)settings.Seed, MaxDegreeOfParallelism = settings.Threads,
        };
        if (Directory.Exists(folder))
        {
            // A previous run's images would mix with these; the folder is this tool's own output.
            Directory.Delete(folder, recursive: true);
        }

        var task = progress.AddTask($"Generate synthetic steel defects ({options.TotalImages} images, {options.Width}x{options.Height})", maxValue: options.TotalImages);
        var watch = Stopwatch.StartNew();
        SyntheticSteelDefects.WriteTo(folder, options, new SyncProgress<int>(n => task.Value = n));
        _steps["synthetic data"] = watch.Elapsed.TotalSeconds;
        task.StopTask();
        return folder;
    }

    private TrainedOriginalCnn TrainOriginal(ProgressContext progress, ImageDataset data, int threads)
    {
        var options = OriginalCnnTrainer.DefaultTrainingOptions with { MaxEpochs = settings.OriginalEpochs, Seed = settings.Seed, Threads = threads };
        var task = progress.AddTask($"Train original CNN ({data.Count} images)", maxValue: options.MaxEpochs);
        var result = OriginalCnnTrainer.Train(data, options: options, progress: EpochReporter(task, "original CNN"));
        task.Value = task.MaxValue;
        task.StopTask();
        return result;
    }

    private TrainedChunkCnn TrainChunk(ProgressContext progress, ImageDataset data)
    {
        var options = ChunkCnnTrainer.DefaultTrainingOptions with
        {
            MaxEpochs = settings.ChunkEpochs, Patience = Math.Min(ChunkCnnTrainer.DefaultTrainingOptions.Patience, Math.Max(10, settings.ChunkEpochs / 2)),
            // One libtorch thread: the chunk CNN's operations are so small that a second OpenMP thread gains little on an idle
            // machine, while on a busy one its spin-waiting slowed epochs twenty-fold in our runs (see docs/training.md, Threads).
            Seed = settings.Seed, Threads = 1,
        };
        var model = ChunkCnnOptions.Stride7 with { ChunkSize = settings.ChunkSide };
        var task = progress.AddTask($"Train chunk CNN ({data.Count} images)", maxValue: options.MaxEpochs);
        var result = ChunkCnnTrainer.Train(data, model, options, EpochReporter(task, "chunk CNN"));
        task.Value = task.MaxValue;
        task.StopTask();
        return result;
    }

    private static SyncProgress<EpochProgress> EpochReporter(ProgressTask task, string model) => new(epoch =>
    {
        task.Value = epoch.Epoch;
        string validation = epoch.ValidationAccuracy is double v ? $", val acc {v:P0}" : "";
        task.Description = $"Train {model}: epoch {epoch.Epoch}, loss {epoch.Loss:F3}{validation}";
    });

    private static TrainingSummary Summary(string model, TrainingHistory? history) => new()
    {
        Model = model,
        Epochs = history?.Epochs.Count ?? 0,
        BestValidationAccuracy = history?.Epochs.Max(e => e.ValidationAccuracy ?? 0) ?? 0,
        Seconds = history?.TotalSeconds ?? 0,
    };

    private static GateSummary GateStatistics(IReadOnlyList<PreparedImage> images, int classCount)
    {
        const double BinWidth = 8;
        var histogram = new int[(int)Math.Ceiling(256 / BinWidth)];
        foreach (float score in images.SelectMany(i => i.ChunkScores))
        {
            histogram[Math.Clamp((int)(score / BinWidth), 0, histogram.Length - 1)]++;
        }

        return new GateSummary
        {
            BinWidth = BinWidth,
            Histogram = histogram,
            FeatureFractionPerClass = [.. Enumerable.Range(0, classCount).Select(c =>
            {
                var members = images.Where(i => i.ClassIndex == c).ToList();
                return members.Count == 0 ? double.NaN : members.Sum(i => i.FeatureChunkCount) / (double)members.Sum(i => i.ChunkIndex.Length);
            })],
            ImagesWithoutFeatures = images.Count(i => i.FeatureChunkCount == 0) / (double)images.Count,
            ImagesAllFeatures = images.Count(i => i.FeatureChunkCount == i.ChunkIndex.Length) / (double)images.Count,
        };
    }

    private static KeySummary KeySizes(HeChunkKeys keys, string keyFolder, double generationMs) => new()
    {
        Parameters = keys.Parameters.ToString(),
        N = keys.Parameters.N,
        TotalModulusBits = keys.Parameters.TotalModulusBits,
        Depth = keys.Parameters.MaxLevel,
        PublicKeyBytes = CkksSerializer.GetSerializedSize(keys.PublicKey),
        RelinearizationKeyBytes = CkksSerializer.GetSerializedSize(keys.RelinearizationKey),
        GaloisKeyBytes = CkksSerializer.GetSerializedSize(keys.GaloisKeys),
        GaloisKeyCount = keys.GaloisKeys.GaloisElements.Count,
        PublicFileBytes = new FileInfo(Path.Combine(keyFolder, PublicKeysFile)).Length,
        SecretFileBytes = new FileInfo(Path.Combine(keyFolder, SecretKeyFile)).Length,
        GenerationMs = generationMs,
    };

    private static string SizeTableNote(HeChunkKeys keys, List<SizeTableRow> rows)
    {
        // The formula is checked against this run's real keys; a mismatch is reported, not hidden.
        SizeTableRow row = rows.First(r => r.N == keys.Parameters.N);
        bool publicOk = row.PublicKeyBytes == CkksSerializer.GetSerializedSize(keys.PublicKey);
        bool relinOk = row.RelinKeyBytes == CkksSerializer.GetSerializedSize(keys.RelinearizationKey);
        bool galoisOk = row.GaloisKeyBytes == CkksSerializer.GetSerializedSize(keys.GaloisKeys);
        string check = publicOk && relinOk && galoisOk
            ? $"At N = {keys.Parameters.N} the computed public, relinearization and Galois key sizes equal the serialized sizes of this run's generated keys byte for byte."
            : $"WARNING: at N = {keys.Parameters.N} the computed sizes differ from this run's serialized keys (public {publicOk}, relin {relinOk}, Galois {galoisOk}).";
        return "Each row is a real parameter set created by the engine (prime generation and the 128-bit security check apply): the deepest chain of the " +
            "chunk CNN's shape (q0 33 bits, 28-bit rescaling primes, 45-bit special prime) under the HomomorphicEncryption.org bound. Sizes are computed " +
            "from the documented serialization format (docs/serialization.md) rather than from generated keys, because generating N = 32768 keys with " +
            $"dozens of primes would take minutes. {check} Ciphertexts are fresh public-key ciphertexts at level min(5, max level); 200 x 200 images are " +
            "zero-padded to whole chunks; where one image's chunks do not fit one ciphertext's slots they are counted as several chunk groups (the scorer " +
            "takes one group at a time; splitting an image into groups is computed here, not implemented).";
    }
}
