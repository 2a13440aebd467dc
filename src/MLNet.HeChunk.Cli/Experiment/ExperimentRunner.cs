using System.Diagnostics;
using Microsoft.ML;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Cli.Privacy;
using MLNet.HeChunk.Cli.Reporting;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Datasets.Synthetic;
using MLNet.HeChunk.Encryption;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Scoring;
using MLNet.HeChunk.Training;
using MLNet.HeChunk.Transforms;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>
/// <c>hechunk experiment</c>, composed of the calls a user writes in a notebook (docs/architecture.md walks the same
/// path): the split (<see cref="TrainTestSplit"/>), the client pipeline (<c>PrepareChunks</c>), training through the
/// trainer estimator (<c>MulticlassClassification.Trainers.ChunkCnn()</c>), encryption (<c>EncryptChunks</c>), scoring on
/// ciphertexts (<c>ScoreEncryptedChunkCnn</c>), decryption (<c>DecryptScores</c>) and evaluation
/// (<c>MulticlassClassification.Evaluate</c>). Around them: the original CNN and the gradient-boosted baseline for
/// comparison, Table 2's encryption timing, the privacy audit, the files. Each step shows a progress bar; the report is
/// built from what the steps return and goes to report.json, report.md and report.html.
/// </summary>
internal sealed class ExperimentRunner(CliContext context, ExperimentSettings settings)
{
    /// <summary>File names written to the output folder.</summary>
    public const string ModelFile = "model.zip", WeightsFile = "chunk-cnn.weights", OriginalFile = "original-cnn.bin",
        PublicKeysFile = "public.keys", SecretKeyFile = "secret.key", ClassesFile = "classes.txt";

    private readonly Dictionary<string, double> _steps = [];
    private double _prepareMsPerImage;

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
                // 1. Data and split.
                TrainTestSplit split = LoadData(progress, outFolder, report);
                IReadOnlyList<string> classes = split.ClassNames;

                // 2. The client pipeline over every image; its rows, with Label as a key whose key values are the class names.
                var (client, train, test) = Prepare(progress, ml, split);
                ITransformer labelKeys = ClassificationEvaluation.LabelKeys(ml, classes);
                IDataView trainRows = labelKeys.Transform(PreparedImage.ToDataView(ml, train));
                IDataView testRows = labelKeys.Transform(PreparedImage.ToDataView(ml, test));
                report.FeatureChunkFraction = test.Sum(i => i.FeatureChunkCount) / (double)test.Sum(i => i.ChunkIndex.Length);
                report.Gate = ExperimentFigures.Gate(test, classes.Count);
                SampleImages.Write(Path.Combine(outFolder, ReportFiles.SamplesPng), test, classes, settings.ChunkSide);

                // 3. Training: the chunk CNN through its trainer estimator; the original CNN (TorchSharp) for comparison.
                using TrainedOriginalCnn original = Step("train original CNN", () => TrainOriginal(progress, PreparedImage.ToDataset(train, classes.Count), threads));
                report.Training.Add(ExperimentFigures.Training("original CNN", original.History));
                ChunkCnnScoringTransformer scorer = Step("train chunk CNN", () => TrainChunkCnn(progress, ml, trainRows, train.Count, report));

                // 4. Plaintext evaluation of the three models on the test set.
                ModelResult originalResult = ClassificationEvaluation.Evaluate(ml, "original CNN", [.. test.Select(i => i.Label)],
                    original.Logits([.. test.Select(i => i.Pixels)]), classes);
                IDataView plainScored = scorer.Transform(testRows);
                ModelResult plainResult = ClassificationEvaluation.Evaluate(ml, "plaintext chunk CNN", plainScored);
                ModelResult baselineResult = Step("gradient-boosted baseline", () => ClassificationEvaluation.Evaluate(ml,
                    "plaintext gradient-boosted trees on texture descriptors", TextureBaseline.TrainAndScore(ml, train, test, classes.Count)));

                // 5. Keys: client/ holds the key set with its secret key (0600), server/ only what a server may see.
                HeChunkKeys keys = GenerateKeys(progress, scorer.Weights, classes, outFolder, threads, report);

                // 6. Table 2: the client's encryption in the three modes.
                report.EncryptionCosts = TimeEncryption(progress, keys, scorer.Weights, test, threads);
                double Ms(EncryptionMode m) => report.EncryptionCosts.Single(c => c.Mode == m.ToString()).EncryptMs;
                report.EncryptionMsPerImage = new EncryptionTimes { WholeImage = Ms(EncryptionMode.WholeImage), AllChunks = Ms(EncryptionMode.AllChunks), FeatureChunks = Ms(EncryptionMode.FeatureChunks) };

                // 7. Encrypt, score on ciphertexts, decrypt, evaluate: the two modes the chunk CNN serves.
                int scoredCount = Math.Min(settings.EncryptedLimit ?? test.Count, test.Count);
                report.Data!.EncryptedTestImages = scoredCount;
                ModelResult plainOnScored = ClassificationEvaluation.Evaluate(ml, "plaintext chunk CNN", ml.Data.TakeRows(plainScored, scoredCount));
                var plain = new PlainChunkCnn(scorer.Weights);
                List<double[]> plainLogits = [.. test.Take(scoredCount).Select(i => plain.Logits(i.Chunks, i.Descriptors))];
                var encryptedResults = new Dictionary<EncryptionMode, ModelResult>();
                foreach (EncryptionMode mode in new[] { EncryptionMode.FeatureChunks, EncryptionMode.AllChunks })
                {
                    var result = ScoreEncrypted(progress, ml, keys, scorer, mode, ml.Data.TakeRows(testRows, scoredCount), scoredCount, threads);
                    ModelResult evaluated = ClassificationEvaluation.Evaluate(ml, $"encrypted chunk CNN ({Describe(mode)})", labelKeys.Transform(result.Decrypted));
                    encryptedResults[mode] = evaluated;
                    LatencyBreakdown latency = ExperimentFigures.Latency(result, evaluated, plainOnScored, plainLogits);
                    latency.ClientPrepareMs = _prepareMsPerImage;
                    report.Latency.Add(latency);
                }

                ExperimentFigures.Summarize(report, originalResult, baselineResult, plainResult, plainOnScored, encryptedResults, TextureBaseline.Description);

                // 8. Privacy audit.
                var auditTask = progress.AddTask("Privacy audit (FastTree attacker, 4 views)", maxValue: 4);
                var packing = new ChunkPacking(scorer.Weights.KernelSize, scorer.Weights.Stride, scorer.Weights.Channels);
                int slots = keys.Parameters.SlotCount;
                report.Leakage = Step("privacy audit", () => LeakageAudit.Run(ml, train, test, settings.ChunkSide, classes.Count,
                    encrypted => SizeTable.ChunkCiphertexts(packing, settings.ChunkSide, slots, encrypted), () => auditTask.Increment(1)));
                auditTask.StopTask();

                // 9. Table 1 and the saved model: the client pipeline followed by the trained scorer.
                report.SizeTable = SizeTable.Build(packing, settings.ChunkSide);
                report.SizeTableNote = ExperimentFigures.SizeTableNote(keys, report.SizeTable);
                HeChunkModel.Save(ml, client.Append(scorer), ml.Data.LoadFromEnumerable(split.Train).Schema, Path.Combine(outFolder, ModelFile));
                File.WriteAllBytes(Path.Combine(outFolder, WeightsFile), ChunkCnnWeightsSerializer.Serialize(scorer.Weights));
                File.WriteAllBytes(Path.Combine(outFolder, OriginalFile), original.Save());
            });

        report.StepSeconds = _steps;
        report.TotalSeconds = total.Elapsed.TotalSeconds;
        report.FinishedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        ReportFiles.WriteAll(report, outFolder);
        return report;
    }

    /// <summary>Step 1: the image folder (the built-in set when none is given) and its split.</summary>
    private TrainTestSplit LoadData(ProgressContext progress, string outFolder, ExperimentReport report)
    {
        string dataFolder = settings.DataFolder ?? GenerateSynthetic(progress, Path.Combine(outFolder, "data"));
        TrainTestSplit split = Step("split", () => CliData.Split(dataFolder).LimitTest(settings.TestLimit));
        report.Data = new DataSummary
        {
            Folder = dataFolder, Synthetic = settings.DataFolder is null, Classes = [.. split.ClassNames], TrainImages = split.Train.Count,
            TestImages = split.Test.Count, Split = split.Rule, Threshold = settings.Threshold, ChunkSide = settings.ChunkSide,
        };
        return split;
    }

    /// <summary>Step 2: <c>PrepareChunks</c> fitted on the training images, then run over every image.</summary>
    private (ITransformer Client, List<PreparedImage> Train, List<PreparedImage> Test) Prepare(ProgressContext progress, MLContext ml, TrainTestSplit split)
    {
        ITransformer client = ClientPipeline.Create(ml, settings.ChunkSide, settings.Threshold).Fit(ml.Data.LoadFromEnumerable(split.Train));
        var task = progress.AddTask($"Preprocess {split.Train.Count + split.Test.Count} images (ML.NET client pipeline)", maxValue: split.Train.Count + split.Test.Count);
        var watch = Stopwatch.StartNew();
        var (train, test) = Step("preprocess", () => (
            Preprocessor.Run(ml, client, split.Train, split.ClassNames, () => task.Increment(1)),
            Preprocessor.Run(ml, client, split.Test, split.ClassNames, () => task.Increment(1))));
        _prepareMsPerImage = watch.Elapsed.TotalMilliseconds / Math.Max(1, train.Count + test.Count);
        task.StopTask();
        return (client, train, test);
    }

    /// <summary>Step 3: <c>mlContext.MulticlassClassification.Trainers.ChunkCnn(options).Fit(rows)</c>.</summary>
    private ChunkCnnScoringTransformer TrainChunkCnn(ProgressContext progress, MLContext ml, IDataView trainRows, int count, ExperimentReport report)
    {
        var training = ChunkCnnTrainer.DefaultTrainingOptions with
        {
            MaxEpochs = settings.ChunkEpochs, Patience = Math.Min(ChunkCnnTrainer.DefaultTrainingOptions.Patience, Math.Max(10, settings.ChunkEpochs / 2)),
            // One libtorch thread: the chunk CNN's operations are so small that a second OpenMP thread gains little on an idle
            // machine, while on a busy one its spin-waiting slowed epochs twenty-fold in our runs (see docs/training.md, Threads).
            Seed = settings.Seed, Threads = 1,
        };
        var task = progress.AddTask($"Train chunk CNN ({count} images)", maxValue: training.MaxEpochs);
        var epochs = new List<EpochProgress>();
        IProgress<EpochProgress> reporter = EpochReporter(task, "chunk CNN");
        ChunkCnnScoringTransformer scorer = ml.MulticlassClassification.Trainers.ChunkCnn(new ChunkCnnTrainerOptions
        {
            Model = ChunkCnnOptions.Stride7 with { ChunkSize = settings.ChunkSide },
            Training = training,
            Progress = new SyncProgress<EpochProgress>(epoch => { epochs.Add(epoch); reporter.Report(epoch); }),
            LogitBound = 16,
        }).Fit(trainRows);
        task.Value = task.MaxValue;
        task.StopTask();
        report.Training.Add(ExperimentFigures.Training("chunk CNN", epochs));
        return scorer;
    }

    /// <summary>Step 5: a 128-bit key set with Galois keys for exactly the chunk CNN's rotations, written as client/ and server/ folders.</summary>
    private HeChunkKeys GenerateKeys(ProgressContext progress, ChunkCnnWeights weights, IReadOnlyList<string> classes, string outFolder, int threads, ExperimentReport report)
    {
        var keyTask = progress.AddTask("Generate CKKS keys (N = 8192, 128-bit)", maxValue: 1);
        var keyWatch = Stopwatch.StartNew();
        CkksParameters parameters = CkksParameters.Create(CkksPresets.N8192ChunkCnn);
        HeChunkKeys keys = HeChunkKeys.GenerateForChunkCnn(parameters, new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels), settings.ChunkSide, threads);
        _steps["keys"] = keyWatch.Elapsed.TotalSeconds;
        keyTask.Increment(1);
        keyTask.StopTask();
        var (clientFolder, _) = Commands.KeyFolders.WriteSplit(keys, outFolder, classes, passphrase: null, force: true);
        report.Keys = ExperimentFigures.Keys(keys, Path.Combine(clientFolder, PublicKeysFile), Path.Combine(clientFolder, SecretKeyFile), keyWatch.Elapsed.TotalMilliseconds);
        report.SecurityBits = parameters.IsSecure ? 128 : 0;
        report.EvaluationKeyBytes = report.Keys.RelinearizationKeyBytes + report.Keys.GaloisKeyBytes;
        return keys;
    }

    /// <summary>Step 6: Table 2, the encryptor timed apart from serialization in the three modes (the whole image included, which no scorer takes).</summary>
    private List<EncryptionCost> TimeEncryption(ProgressContext progress, HeChunkKeys keys, ChunkCnnWeights weights, List<PreparedImage> test, int threads)
    {
        var timingImages = test.Take(Math.Max(1, Math.Min(settings.TimingImages, test.Count))).ToList();
        var task = progress.AddTask($"Encrypt {timingImages.Count} images x 3 modes (Table 2)", maxValue: timingImages.Count * 3);
        var grid = new ChunkGrid(ClientPipeline.ImageSide, ClientPipeline.ImageSide, settings.ChunkSide, settings.ChunkSide);
        var packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
        var costs = Step("encryption timing", () => EncryptionBenchmark.Run(keys.PublicOnly(), packing, grid, timingImages, threads, () => task.Increment(1)));
        task.StopTask();
        return costs;
    }

    /// <summary>Step 7: <c>EncryptChunks</c> -> <c>ScoreEncryptedChunkCnn</c> -> <c>DecryptScores</c> over the test rows.</summary>
    private EncryptedInference.Result ScoreEncrypted(ProgressContext progress, MLContext ml, HeChunkKeys keys, ChunkCnnScoringTransformer scorer,
        EncryptionMode mode, IDataView rows, int count, int threads)
    {
        var task = progress.AddTask($"Encrypted scoring, {Describe(mode)} ({count} images)", maxValue: count);
        var result = Step($"encrypted scoring {mode}", () => EncryptedInference.Run(ml, keys, scorer, mode, rows, threads, () => task.Increment(1)));
        task.StopTask();
        return result;
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

    private static SyncProgress<EpochProgress> EpochReporter(ProgressTask task, string model) => new(epoch =>
    {
        task.Value = epoch.Epoch;
        string validation = epoch.ValidationAccuracy is double v ? $", val acc {v:P0}" : "";
        task.Description = $"Train {model}: epoch {epoch.Epoch}, loss {epoch.Loss:F3}{validation}";
    });
}
