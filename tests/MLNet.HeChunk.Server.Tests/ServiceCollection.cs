namespace MLNet.HeChunk.Server.Tests;

/// <summary>The test classes that share one <see cref="ServiceFixture"/> (they run one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
