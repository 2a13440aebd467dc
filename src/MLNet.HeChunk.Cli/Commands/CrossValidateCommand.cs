using System.CommandLine;
using System.Text.Json;
using Microsoft.ML;
using MLNet.HeChunk.Cli.Experiment;
using MLNet.HeChunk.Data;
using MLNet.HeChunk.Training;
using Spectre.Console;

namespace MLNet.HeChunk.Cli.Commands;

/// <summary>
/// <c>hechunk crossvalidate</c>: stratified k-fold cross-validation of chunk CNN designs on the training split of a data set.
/// Only the training images are read, so the test split cannot influence the comparison; this is how the defaults were chosen.
/// </summary>
internal static class CrossValidateCommand
{
    /// <summary>The designs compared: the default and the alternatives it was chosen against.</summary>
    internal static IReadOnlyList<CrossValidationCandidate> Candidates(int? maxEpochs)
    {
        TrainingOptions training = ChunkCnnTrainer.DefaultTrainingOptions;
        if (maxEpochs is int epochs)
            training = training with { MaxEpochs = epochs, Patience = Math.Min(training.Patience, Math.Max(10, epochs / 2)) };
        ChunkCnnOptions model = ChunkCnnOptions.Stride7;
        return
        [
            new("chunk CNN + descriptor head (default)", model, training),
            new("chunk CNN alone (the paper's network)", model with { DescriptorHiddenSize = 0 }, training),
        ];
    }

    /// <summary>Creates the verb.</summary>
    public static Command Create(CliContext context)
    {
        var data = new Option<string>("--data") { Description = "Image folder (class folders or flat <Class>_<n> files).", Required = true };
        var folds = new Option<int>("--folds") { Description = "Number of stratified folds of the training split.", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Seed of the fold assignment and of training.", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int?>("--epochs") { Description = "Maximum training epochs per fold (default: the trainer's)." };
        var output = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var command = new Command("crossvalidate", "Compare the chunk CNN designs by stratified k-fold cross-validation inside the training split (the test split is not read).")
        {
            data, folds, seed, epochs, output,
        };
        command.SetAction(parse =>
        {
            int k = parse.GetValue(folds);
            if (k < 2)
                throw new CliException($"--folds {k}: cross-validation needs at least 2 folds");
            int? maxEpochs = parse.GetValue(epochs);
            if (maxEpochs is < 1)
                throw new CliException($"--epochs {maxEpochs}: must be at least 1");
            TrainTestSplit split = CliData.Split(parse.GetValue(data)!);
            var ml = new MLContext(parse.GetValue(seed));
            var client = ClientPipeline.Create(ml, 28, 100).Fit(ml.Data.LoadFromEnumerable(split.Train));
            List<PreparedImage> train = context.Console.Status().Start($"Preprocessing {split.Train.Count} training images...", _ =>
                Preprocessor.Run(ml, client, split.Train, split.ClassNames));
            ImageDataset dataset = PreparedImage.ToDataset(train, split.ClassNames.Count);
            IReadOnlyList<CrossValidationResult> results;
            try
            {
                results = ChunkCnnCrossValidation.Run(dataset, Candidates(maxEpochs), k, parse.GetValue(seed),
                    new SyncProgress<string>(line => context.Console.MarkupLineInterpolated($"{line}")));
            }
            catch (ArgumentException e)
            {
                throw new CliException(e.Message);
            }

            var table = new Table().AddColumns("design", "mean accuracy", "spread (sd)", "balanced accuracy", "folds");
            foreach (CrossValidationResult r in results)
                table.AddRow(r.Name, r.Mean.ToString("P2"), r.StandardDeviation.ToString("P2"), r.BalancedMean.ToString("P2"), string.Join(" ", r.FoldAccuracies.Select(a => a.ToString("P1"))));
            context.Console.Write(table);
            context.Console.MarkupLineInterpolated($"Split: {split.Rule}; {split.Train.Count} training images in {k} stratified folds; test split not read.");
            if (parse.GetValue(output) is string file)
            {
                File.WriteAllText(file, JsonSerializer.Serialize(results.Select(r => new { r.Name, r.Mean, r.StandardDeviation, r.BalancedMean, r.FoldAccuracies, r.FoldBalancedAccuracies }),
                    new JsonSerializerOptions { WriteIndented = true }));
            }

            return HeChunkCli.Success;
        });
        return command;
    }
}
