using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>One real 128-bit chunk-CNN key set for the whole test run (generating one takes seconds).</summary>
internal static class TestKeys
{
    private static readonly Lazy<HeChunkKeys> Shared = new(() =>
        HeChunkKeys.GenerateForChunkCnn(CkksParameters.Create(CkksPresets.N8192ChunkCnn), new ChunkPacking(), 28, degreeOfParallelism: 2));

    public static HeChunkKeys Alice => Shared.Value;
}
