using System.IO.Compression;
using MLNet.HeChunk.Chunking;
using MLNet.HeChunk.Persistence;
using MLNet.HeChunk.Transforms;

namespace MLNet.HeChunk.Tests;

public class PersistenceTests
{
    private readonly MLContext _ml = new(seed: 1);

    private (ITransformer Model, IDataView Data) FitPipeline()
    {
        var random = new Random(9);
        var data = TestData.Pixels(_ml, TestData.Random(random, 56 * 56), TestData.Random(random, 56 * 56));
        var model = _ml.Transforms.EqualizeHistogram("Pixels")
            .Append(_ml.Transforms.CopyColumns("Original", "Pixels"))        // an ML.NET transformer in between
            .Append(_ml.Transforms.SplitChunks("Chunks", "Pixels"))
            .Append(_ml.Transforms.SobelGate("ChunkIndex", "Pixels"))
            .Fit(data);
        return (model, data);
    }

    private static string TempZip() => Path.Combine(Path.GetTempPath(), $"hechunk-{Guid.NewGuid():N}.zip");

    [Fact]
    public void ChainWithForeignTransformersRoundTripsWithEveryValue()
    {
        var (model, data) = FitPipeline();
        var path = TempZip();
        try
        {
            HeChunkModel.Save(_ml, model, data.Schema, path);
            var loaded = HeChunkModel.Load(new MLContext(), path, out _);
            Assert.Equal(4, HeChunkModel.FindAll<ITransformer>(loaded).Count - 1); // the chain plus its four elements
            Assert.Single(HeChunkModel.FindAll<SobelGateTransformer>(loaded));
            var before = model.Transform(data);
            var after = loaded.Transform(data);
            SchemaAssert.Equal(before.Schema, after.Schema);
            foreach (var column in new[] { "Pixels", "Original", "Chunks", "ChunkIndex", "ChunkScores" })
                Assert.Equal(TestData.Read(before, column), TestData.Read(after, column));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NestedChainsAndScopesSurvive()
    {
        var (inner, data) = FitPipeline();
        var outer = new TransformerChain<ITransformer>(
            [inner, _ml.Transforms.SplitChunks("Small", "Original", new ChunkSplittingOptions { ChunkHeight = 8, ChunkWidth = 8 }).Fit(inner.Transform(data))],
            [TransformerScope.Everything, TransformerScope.Scoring]);
        using var stream = new MemoryStream();
        HeChunkModel.Save(_ml, outer, data.Schema, stream);
        stream.Position = 0;
        var loaded = (TransformerChain<ITransformer>)HeChunkModel.Load(new MLContext(), stream, out _);

        Assert.Equal(2, HeChunkModel.FindAll<ChunkSplittingTransformer>(loaded).Count);
        Assert.Equal(new ChunkGrid(56, 56, 8, 8), HeChunkModel.FindChunkGrid(loaded, "Small"));
        // The second element is scoring-only: absent from the training view of the chain.
        Assert.Single(loaded.GetModelFor(TransformerScope.Training));
        Assert.Equal(2, loaded.GetModelFor(TransformerScope.Scoring).Count());
        Assert.Equal(TestData.Read(outer.Transform(data), "Small"), TestData.Read(loaded.Transform(data), "Small"));
    }

    [Fact]
    public void ZipSavedByPlainModelSaveIsRefusedWithAnExplanation()
    {
        var (model, data) = FitPipeline();
        var path = TempZip();
        try
        {
            _ml.Model.Save(model, data.Schema, path);
            var e = Assert.Throws<InvalidDataException>(() => HeChunkModel.Load(new MLContext(), path, out _));
            Assert.Contains("HeChunkModel.Save", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DamagedStateIsReportedBeforeUse()
    {
        var (model, data) = FitPipeline();
        var path = TempZip();
        try
        {
            HeChunkModel.Save(_ml, model, data.Schema, path);
            using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                var names = zip.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("MLNet.HeChunk/manifest.json", names);
                Assert.Contains("MLNet.HeChunk/000/options.json", names);
                zip.GetEntry("MLNet.HeChunk/001/options.json")!.Delete();
            }
            var e = Assert.Throws<InvalidDataException>(() => HeChunkModel.Load(new MLContext(), path, out _));
            Assert.Contains("MLNet.HeChunk/001/options.json", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StateBlobsAreNamedCheckedAndVersioned()
    {
        var state = new HeChunkTransformerState("Encryptor", 2).Add("public-key.bin", [1, 2, 3]).AddJson("options.json", new { Slots = 4096 });
        Assert.Equal(["public-key.bin", "options.json"], state.BlobNames);
        Assert.Equal([1, 2, 3], state.Get("public-key.bin"));
        Assert.Throws<ArgumentException>(() => state.Add("public-key.bin", []));
        Assert.Throws<ArgumentException>(() => state.Add("../escape", []));
        Assert.Contains("weights.bin", Assert.Throws<InvalidDataException>(() => state.Get("weights.bin")).Message);
        state.RequireVersion(1, 2);
        Assert.Contains("version 2", Assert.Throws<InvalidDataException>(() => state.RequireVersion(1)).Message);
    }

    [Fact]
    public void RegistryAcceptsNewKindsAndRefusesConflicts()
    {
        HeChunkTransformerRestorer restorer = (_, _) => throw new NotSupportedException();
        HeChunkTransformerRegistry.Register("Test.Kind", restorer);
        HeChunkTransformerRegistry.Register("Test.Kind", restorer); // idempotent
        Assert.True(HeChunkTransformerRegistry.IsRegistered("Test.Kind"));
        Assert.Throws<InvalidOperationException>(() => HeChunkTransformerRegistry.Register("Test.Kind", (_, _) => throw new NotSupportedException()));
        Assert.Throws<InvalidOperationException>(() => HeChunkTransformerRegistry.Register("SobelGate", restorer));
    }
}
