using System.Reflection;
using System.Text.RegularExpressions;

namespace MLNet.HeChunk.Cli.Tests;

/// <summary>
/// Keeps docs/architecture.md honest: no layer references one above it (assembly references, and namespaces inside the
/// CKKS engine), and every name the page puts in backticks exists in the code.
/// </summary>
public sealed partial class ArchitectureTests
{
    private const string Prefix = "MLNet.HeChunk";

    /// <summary>Each project assembly and the project assemblies it must not reference.</summary>
    public static TheoryData<string, string[]> Forbidden => new()
    {
        { "MLNet.HeChunk.Ckks", ["MLNet.HeChunk", "MLNet.HeChunk.Datasets", "MLNet.HeChunk.Training", "MLNet.HeChunk.Server", "MLNet.HeChunk.Client", "MLNet.HeChunk.Service.Contracts", "hechunk"] },
        { "MLNet.HeChunk.Datasets", ["MLNet.HeChunk.Ckks", "MLNet.HeChunk", "MLNet.HeChunk.Training", "MLNet.HeChunk.Server", "MLNet.HeChunk.Client", "hechunk"] },
        { "MLNet.HeChunk", ["MLNet.HeChunk.Datasets", "MLNet.HeChunk.Training", "MLNet.HeChunk.Server", "MLNet.HeChunk.Client", "MLNet.HeChunk.Service.Contracts", "hechunk"] },
        { "MLNet.HeChunk.Training", ["MLNet.HeChunk.Datasets", "MLNet.HeChunk.Server", "MLNet.HeChunk.Client", "MLNet.HeChunk.Service.Contracts", "hechunk"] },
        { "MLNet.HeChunk.Server", ["MLNet.HeChunk.Client", "MLNet.HeChunk.Training", "MLNet.HeChunk.Datasets", "hechunk"] },
        { "MLNet.HeChunk.Client", ["MLNet.HeChunk.Server", "MLNet.HeChunk.Training", "MLNet.HeChunk.Datasets", "hechunk"] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void NoLayerReferencesOneAboveIt(string assembly, string[] forbidden)
    {
        string[] references = [.. Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) || n == "hechunk")];
        Assert.Empty(references.Intersect(forbidden));
    }

    [Fact]
    public void TorchSharpStaysInTheTrainingProject()
    {
        foreach (string assembly in new[] { "MLNet.HeChunk.Ckks", "MLNet.HeChunk", "MLNet.HeChunk.Server", "MLNet.HeChunk.Client", "MLNet.HeChunk.Datasets" })
        {
            Assert.DoesNotContain(Assembly.Load(assembly).GetReferencedAssemblies(), a => a.Name == "TorchSharp");
        }
    }

    [Fact]
    public void InsideTheEngineRingAndRlweNameNothingAboveThem()
    {
        Assembly engine = Assembly.Load("MLNet.HeChunk.Ckks");
        string[] Names(Func<Type, bool> where) => [.. engine.GetTypes().Where(t => !t.IsNested && !t.Name.StartsWith('<') && where(t)).Select(t => t.Name.Split('`')[0]).Distinct()];
        string[] root = Names(t => t.Namespace == "MLNet.HeChunk.Ckks");
        string[] rlwe = Names(t => t.Namespace == "MLNet.HeChunk.Ckks.Rlwe");
        string[] serialization = Names(t => t.Namespace == "MLNet.HeChunk.Ckks.Serialization");
        string[] scheme = ["CkksEncoder", "Encryptor", "Decryptor", "Evaluator", "KeyGenerator"];
        Assert.Contains("Evaluator", root);

        string source = Path.Combine(RepositoryRoot(), "src", "MLNet.HeChunk.Ckks");
        AssertNotNamed(Path.Combine(source, "Ring"), [.. root, .. rlwe, .. serialization]);
        AssertNotNamed(Path.Combine(source, "Rlwe"), [.. serialization, .. scheme]);
    }

    [Fact]
    public void ChunkScoringNamesNoMLNetAndNoTransform()
    {
        string library = Path.Combine(RepositoryRoot(), "src", "MLNet.HeChunk");
        Assembly assembly = Assembly.Load("MLNet.HeChunk");
        string[] above = [.. assembly.GetTypes()
            .Where(t => !t.IsNested && !t.Name.StartsWith('<') && t.Namespace is "MLNet.HeChunk.Transforms" or "MLNet.HeChunk.Persistence" or "MLNet.HeChunk.Data" or "MLNet.HeChunk")
            .Select(t => t.Name.Split('`')[0]), "Microsoft.ML", "MLContext", "IDataView"];
        foreach (string folder in new[] { "Scoring", "Cnn", "Imaging", "Gating", "IO" })
        {
            AssertNotNamed(Path.Combine(library, folder), above);
        }
    }

    [Fact]
    public void EveryNameInTheArchitecturePageExists()
    {
        string page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "architecture.md"));
        var known = new HashSet<string>(StringComparer.Ordinal);
        string[] assemblies = ["MLNet.HeChunk.Ckks", "MLNet.HeChunk", "MLNet.HeChunk.Training", "MLNet.HeChunk.Datasets", "MLNet.HeChunk.Server",
            "MLNet.HeChunk.Client", "MLNet.HeChunk.Service.Contracts", "hechunk", typeof(ArchitectureTests).Assembly.GetName().Name!,
            "Microsoft.ML.Data", "Microsoft.ML.ImageAnalytics", "Microsoft.ML.Transforms"];
        foreach (Type type in assemblies.SelectMany(a => Assembly.Load(a).GetTypes()))
        {
            known.Add(type.Name.Split('`')[0]);
            foreach (MemberInfo member in type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                known.Add(member.Name);
            }

            if (type.Namespace is { } ns)
            {
                foreach (string part in ns.Split('.'))
                {
                    known.Add(part);
                }

                known.Add(ns);
            }
        }

        known.UnionWith(assemblies);
        // Names in backticks that look like code (an identifier, optionally dotted); paths, commands and sentences are skipped.
        string[] missing = [.. Backticked().Matches(page).Select(m => m.Groups[1].Value)
            .Where(n => !n.Contains('/') && !n.Contains(' '))
            .Where(n => !known.Contains(n) && !n.Split('.').All(known.Contains)).Distinct()];
        Assert.True(missing.Length == 0, "docs/architecture.md names what the code does not have: " + string.Join(", ", missing));
    }

    private static void AssertNotNamed(string folder, string[] names)
    {
        var pattern = new Regex(@"\b(" + string.Join('|', names.Distinct().Select(Regex.Escape)) + @")\b");
        foreach (string file in Directory.GetFiles(folder, "*.cs"))
        {
            string code = LineComment().Replace(File.ReadAllText(file), "");
            Match found = pattern.Match(code);
            Assert.False(found.Success, $"{Path.GetFileName(file)} names {found.Value}, which belongs to a layer above {Path.GetFileName(folder)}");
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HeChunkML.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no HeChunkML.sln above the test assembly");
    }

    [GeneratedRegex(@"`([A-Za-z_][A-Za-z0-9_.]*)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();
}
