using System.Reflection;
using MLNet.HeChunk.Cnn;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>
/// The exported model (namespace MLNet.HeChunk.Cnn) lives in the inference library, which must never pull libtorch:
/// inference-only users get the weights, the plain and encrypted scorers and the transforms without TorchSharp.
/// </summary>
public sealed class CnnFolderIndependenceTests
{
    [Fact]
    public void ExportedModelTypesLiveInTheTorchSharpFreeInferenceLibrary()
    {
        Assembly inference = typeof(ChunkCnnWeights).Assembly;
        Assert.Equal("MLNet.HeChunk", inference.GetName().Name);
        Assert.DoesNotContain(inference.GetReferencedAssemblies(), a => (a.Name ?? "").StartsWith("TorchSharp", StringComparison.Ordinal));
        Assert.DoesNotContain(typeof(Ckks.CkksParameters).Assembly.GetReferencedAssemblies(), a => (a.Name ?? "").StartsWith("TorchSharp", StringComparison.Ordinal));
    }

    [Fact]
    public void InferenceProjectsDeclareNoTorchSharpPackage()
    {
        foreach (string project in new[] { "MLNet.HeChunk", "MLNet.HeChunk.Ckks" })
        {
            string text = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", project, project + ".csproj"));
            Assert.DoesNotContain("TorchSharp", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("libtorch", text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "HeChunkML.sln")))
                return d.FullName;
        }
        throw new InvalidOperationException("HeChunkML.sln not found above " + AppContext.BaseDirectory);
    }
}
