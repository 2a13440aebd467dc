namespace MLNet.HeChunk.Datasets.Tests;

/// <summary>
/// Tests that measure process CPU time or load every core run alone, so that tests running
/// beside them neither distort their measurement nor are slowed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
