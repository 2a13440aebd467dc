using System.Diagnostics;
using System.Globalization;
using System.Text;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Training;
using Xunit.Abstractions;

namespace MLNet.HeChunk.Training.Tests.NeuCls;

/// <summary>
/// The real measurement reported in docs/training.md: the chunk CNN (both 256-feature layouts)
/// and the baseline trained on the NEU-CLS train split (n % 4 != 1), scored on the 450 test images.
/// </summary>
/// <remarks>
/// Runs only with HECHUNK_NEU_MEASURE=1 (NEU-CLS from HECHUNK_NEU_CLS_DIR or ../shared). The report goes to the test output and, when
/// HECHUNK_NEU_REPORT names a file, to that file. Optional settings:
/// HECHUNK_NEU_THREADS (libtorch threads, default 1, see docs/training.md),
/// HECHUNK_NEU_CHUNK_EPOCHS and HECHUNK_NEU_ORIGINAL_EPOCHS (maximum epochs; 0 skips that model),
/// HECHUNK_NEU_STRIDE7 and HECHUNK_NEU_STRIDE3 (0 skips that layout), and, to try other settings of
/// the chunk CNN without editing code, HECHUNK_NEU_SEED, _PATIENCE, _LEARNING_RATE, _VALIDATION_FRACTION,
/// _WEIGHT_DECAY, _LABEL_SMOOTHING, _DROPOUT and _SELECT_ON_LOSS (invariant-culture numbers; defaults are the library's).
/// </remarks>
public sealed class NeuClsMeasurementTests(ITestOutputHelper output)
{
    [NeuClsFact]
    public void TrainModelsAndReport()
    {
        string root = NeuClsFactAttribute.Folder!;
        int threads = IntFromEnvironment("HECHUNK_NEU_THREADS", 1);
        int chunkEpochs = IntFromEnvironment("HECHUNK_NEU_CHUNK_EPOCHS", ChunkCnnTrainer.DefaultTrainingOptions.MaxEpochs);
        int originalEpochs = IntFromEnvironment("HECHUNK_NEU_ORIGINAL_EPOCHS", OriginalCnnTrainer.DefaultTrainingOptions.MaxEpochs);
        bool stride3 = IntFromEnvironment("HECHUNK_NEU_STRIDE3", 1) != 0;
        var report = new StringBuilder();
        void Line(string text)
        {
            report.AppendLine(text);
            output.WriteLine(text);
        }

        var load = Stopwatch.StartNew();
        NeuClsData data = NeuClsData.Load(root);
        Line(Invariant($"NEU-CLS: {data.Train.Count} train / {data.Test.Count} test images, classes {string.Join(' ', data.ClassNames)}, loaded and preprocessed in {load.Elapsed.TotalSeconds:F1} s"));
        Line(Invariant($"{Environment.ProcessorCount} logical CPUs, libtorch threads {threads}"));
        var progress = new ActionProgress(e => output.WriteLine(Invariant(
            $"  epoch {e.Epoch,3}  loss {e.Loss:F4}  train {e.TrainAccuracy:P1}  val {e.ValidationAccuracy:P1}  {e.Seconds:F2} s{(e.IsBest ? "  *" : "")}")));

        var accuracies = new List<(string Name, double Accuracy)>();
        if (chunkEpochs > 0)
        {
            TrainingOptions defaults = ChunkCnnTrainer.DefaultTrainingOptions;
            TrainingOptions options = defaults with
            {
                Threads = threads,
                MaxEpochs = chunkEpochs,
                Seed = IntFromEnvironment("HECHUNK_NEU_SEED", defaults.Seed),
                Patience = IntFromEnvironment("HECHUNK_NEU_PATIENCE", defaults.Patience),
                LearningRate = DoubleFromEnvironment("HECHUNK_NEU_LEARNING_RATE", defaults.LearningRate),
                ValidationFraction = DoubleFromEnvironment("HECHUNK_NEU_VALIDATION_FRACTION", defaults.ValidationFraction),
                WeightDecay = DoubleFromEnvironment("HECHUNK_NEU_WEIGHT_DECAY", defaults.WeightDecay),
                LabelSmoothing = DoubleFromEnvironment("HECHUNK_NEU_LABEL_SMOOTHING", defaults.LabelSmoothing),
                SelectOnValidationLoss = IntFromEnvironment("HECHUNK_NEU_SELECT_ON_LOSS", defaults.SelectOnValidationLoss ? 1 : 0) != 0,
            };
            ChunkCnnOptions stride7 = ChunkCnnOptions.Stride7 with
            {
                Dropout = DoubleFromEnvironment("HECHUNK_NEU_DROPOUT", ChunkCnnOptions.Stride7.Dropout),
            };
            if (IntFromEnvironment("HECHUNK_NEU_STRIDE7", 1) != 0)
                accuracies.Add(("ChunkCnn stride 7", MeasureChunk("ChunkCnn stride 7", stride7, options)));
            if (stride3)
                accuracies.Add(("ChunkCnn stride 3", MeasureChunk("ChunkCnn stride 3", ChunkCnnOptions.Stride3 with { Dropout = stride7.Dropout }, options)));
        }
        if (originalEpochs > 0)
        {
            TrainingOptions options = OriginalCnnTrainer.DefaultTrainingOptions with { Threads = threads, MaxEpochs = originalEpochs };
            OriginalCnnOptions model = new();
            Line(Invariant($"OriginalCnn: conv {model.KernelSize}x{model.KernelSize} {model.Conv1Channels} > pool {model.Pool1} > conv {model.Conv2Channels} > pool {model.Pool2} > FC {model.HiddenSize} > FC K, dropout {model.Dropout}; ") + Describe(options));
            using TrainedOriginalCnn original = OriginalCnnTrainer.Train(data.Train, model, options, progress);
            double accuracy = original.Accuracy(data.Test);
            accuracies.Add(("OriginalCnn", accuracy));
            Line(Invariant($"  test accuracy {accuracy:P2}; best epoch {original.History!.BestEpoch} of {original.History.Epochs.Count}; ")
                + Invariant($"{original.History.SecondsPerEpoch:F2} s/epoch, {original.History.TotalSeconds:F0} s in all"));
        }
        Line(Invariant($"Peak working set of the test process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB"));

        string? reportPath = Environment.GetEnvironmentVariable("HECHUNK_NEU_REPORT");
        if (!string.IsNullOrEmpty(reportPath))
            File.WriteAllText(reportPath, report.ToString());

        // Far below what the models reach (docs/training.md), far above chance (1/6): catches a broken pipeline.
        Assert.All(accuracies, a => Assert.True(a.Accuracy >= 0.6, Invariant($"{a.Name}: test accuracy {a.Accuracy:P2}")));

        double MeasureChunk(string name, ChunkCnnOptions model, TrainingOptions options)
        {
            Line(name + ": " + Describe(model) + "; " + Describe(options));
            using TrainedChunkCnn chunk = ChunkCnnTrainer.Train(data.Train, model, options, progress);
            double accuracy = chunk.Accuracy(data.Test);
            ChunkCnnWeights weights = chunk.Export();
            int plainCorrect = 0;
            double largestDifference = 0;
            double[][] torchLogits = chunk.Logits(data.Test.Images);
            for (int i = 0; i < data.Test.Count; i++)
            {
                double[] plain = ChunkCnnReferenceForward.Logits(weights, data.Test.Images[i]);
                largestDifference = Math.Max(largestDifference, plain.Zip(torchLogits[i], (a, b) => Math.Abs(a - b)).Max());
                plainCorrect += ChunkCnnReferenceForward.Predict(weights, data.Test.Images[i]) == data.Test.Labels[i] ? 1 : 0;
            }
            Line(Invariant($"  test accuracy {accuracy:P2} (plain C# forward of the export: {(double)plainCorrect / data.Test.Count:P2}, largest logit difference {largestDifference:E1})"));
            Line(Invariant($"  best epoch {chunk.History.BestEpoch} of {chunk.History.Epochs.Count}; {chunk.History.SecondsPerEpoch:F2} s/epoch, {chunk.History.TotalSeconds:F0} s in all"));
            ChunkCnnActivationBounds b = chunk.Bounds;
            Line(Invariant($"  max |value| on the 1350 training images: input {b.Input:F2}, conv {b.ConvOutput:F2}, conv² {b.ConvSquared:F2}, fc1 {b.Fc1Output:F2}, fc1² {b.Fc1Squared:F2}, pooled hidden {b.PooledHidden:F2}, logits {b.Logits:F2}"));
            Line(Invariant($"  export: {ChunkCnnWeightsSerializer.Serialize(weights).Length} bytes; max |w| conv {weights.ConvWeights.Max(Math.Abs):F3}, fc1 {weights.Fc1Weights.Max(Math.Abs):F3}, fc2 {weights.Fc2Weights.Max(Math.Abs):F3}; input map x * {weights.InputScale:G6} + {weights.InputOffset:G6}"));
            Assert.Equal(plainCorrect, (int)Math.Round(accuracy * data.Test.Count));
            return accuracy;
        }
    }

    private static string Describe(ChunkCnnOptions o) => Invariant(
        $"chunk {o.ChunkSize}, kernel {o.KernelSize}, stride {o.Stride}, {o.Channels} filters ({o.FeatureLength} features), hidden {o.HiddenSize}, folded batch norm {o.FoldedBatchNorm}, tied positions {o.TiePositions}, dropout {o.Dropout}");

    private static string Describe(TrainingOptions o) => Invariant(
        $"Adam lr {o.LearningRate} x{o.LearningRateDecay}/epoch, weight decay {o.WeightDecay}, clip {o.GradientClipNorm}, label smoothing {o.LabelSmoothing}, batch {o.BatchSize}, max {o.MaxEpochs} epochs, patience {o.Patience}, validation {o.ValidationFraction:P0}, seed {o.Seed}, augmentation rot ±{o.Augmentation.MaxRotationDegrees}° hflip {o.Augmentation.HorizontalFlip} vflip {o.Augmentation.VerticalFlip} shift ±{o.Augmentation.MaxTranslationFraction:P0} nearest {o.Augmentation.NearestNeighbor}");

    private static int IntFromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : fallback;

    private static double DoubleFromEnvironment(string name, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : fallback;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed class ActionProgress(Action<EpochProgress> action) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value) => action(value);
    }
}
