using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Cli.Experiment;

/// <summary>Everything <c>hechunk experiment</c> is told on its command line.</summary>
internal sealed record ExperimentSettings
{
    /// <summary>The image folder, or null for the built-in synthetic set.</summary>
    public string? DataFolder { get; init; }

    /// <summary>Where every output goes.</summary>
    public string OutFolder { get; init; } = "hechunk-out";

    /// <summary>The Sobel gate's threshold (paper: 100 on the 0-255 gradient scale).</summary>
    public double Threshold { get; init; } = 100;

    /// <summary>Side of the square chunks.</summary>
    public int ChunkSide { get; init; } = 28;

    /// <summary>Maximum training epochs of the original CNN.</summary>
    public int OriginalEpochs { get; init; } = 50;

    /// <summary>Maximum training epochs of the chunk CNN.</summary>
    public int ChunkEpochs { get; init; } = ChunkCnnTrainer.DefaultTrainingOptions.MaxEpochs;

    /// <summary>Seed of training, the synthetic data and the attacker.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>At most this many test images (classes in turn), or null for all.</summary>
    public int? TestLimit { get; init; }

    /// <summary>At most this many test images scored encrypted in each of the two scoring modes, or null for all.</summary>
    public int? EncryptedLimit { get; init; }

    /// <summary>Images timed in each of the three encryption modes (Table 2).</summary>
    public int TimingImages { get; init; } = 8;

    /// <summary>Images per class of the built-in synthetic set.</summary>
    public int SyntheticImagesPerClass { get; init; } = 100;

    /// <summary>Side of the built-in synthetic images.</summary>
    public int SyntheticSide { get; init; } = 200;

    /// <summary>Threads of the original CNN's training, key generation, encryption and encrypted scoring (the chunk CNN trains on one).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>The command line as typed, for the report.</summary>
    public string CommandLine { get; init; } = "";
}
