using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNet.HeChunk.Persistence;

/// <summary>
/// Addresses the transformers of a model by path (one chain index per nesting level) so that the k-th saved
/// state can be matched with the placeholder ML.NET rebuilt at the same position, and rebuilds chains with some
/// elements replaced. ML.NET saves and loads a chain element by element in order, so paths are stable across a
/// save/load round trip.
/// </summary>
internal static class TransformerTree
{
    public static IEnumerable<(int[] Path, ITransformer Transformer)> Walk(ITransformer root)
    {
        var found = new List<(int[], ITransformer)>();
        Visit(root, [], found);
        return found;
    }

    /// <summary>Returns <paramref name="root"/> with the transformers at the given paths replaced. Chains that
    /// contain a replacement are rebuilt as <c>TransformerChain&lt;ITransformer&gt;</c> with the same scopes.</summary>
    public static ITransformer Replace(ITransformer root, IReadOnlyDictionary<string, ITransformer> replacements) =>
        Replace(root, [], replacements);

    public static string Key(IEnumerable<int> path) => "[" + string.Join(",", path) + "]";

    public static bool IsChain(ITransformer transformer) =>
        transformer.GetType().IsGenericType && transformer.GetType().GetGenericTypeDefinition() == typeof(TransformerChain<>);

    /// <summary>Whether <paramref name="transformer"/> is what ML.NET rebuilds a suite transformer as.</summary>
    public static bool IsCustomMapping(ITransformer transformer) =>
        transformer.GetType().IsGenericType && transformer.GetType().GetGenericTypeDefinition() == typeof(CustomMappingTransformer<,>);

    private static void Visit(ITransformer node, List<int> path, List<(int[], ITransformer)> found)
    {
        found.Add((path.ToArray(), node));
        if (!IsChain(node))
            return;
        int i = 0;
        foreach (var child in (IEnumerable<ITransformer>)node)
        {
            path.Add(i++);
            Visit(child, path, found);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static ITransformer Replace(ITransformer node, List<int> path, IReadOnlyDictionary<string, ITransformer> replacements)
    {
        if (replacements.TryGetValue(Key(path), out var replacement))
            return replacement;
        if (!IsChain(node))
            return node;

        var children = ((IEnumerable<ITransformer>)node).ToArray();
        var rebuilt = new ITransformer[children.Length];
        bool changed = false;
        for (int i = 0; i < children.Length; i++)
        {
            path.Add(i);
            rebuilt[i] = Replace(children[i], path, replacements);
            path.RemoveAt(path.Count - 1);
            changed |= !ReferenceEquals(rebuilt[i], children[i]);
        }
        return changed ? new TransformerChain<ITransformer>(rebuilt, ScopesOf(node, children)) : node;
    }

    // TransformerChain keeps its scopes private; GetModelFor(scope) is public and returns the elements whose
    // scope includes that flag, which is enough to recover each element's scope exactly.
    private static TransformerScope[] ScopesOf(ITransformer chain, ITransformer[] children)
    {
        var getModelFor = chain.GetType().GetMethod(nameof(TransformerChain<ITransformer>.GetModelFor), BindingFlags.Public | BindingFlags.Instance)
            ?? throw new MissingMethodException(chain.GetType().FullName, nameof(TransformerChain<ITransformer>.GetModelFor));
        var scopes = new TransformerScope[children.Length];
        foreach (var flag in new[] { TransformerScope.Training, TransformerScope.Testing, TransformerScope.Scoring })
        {
            var members = ((IEnumerable<ITransformer>)getModelFor.Invoke(chain, [flag])!).ToHashSet(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < children.Length; i++)
                if (members.Contains(children[i]))
                    scopes[i] |= flag;
        }
        return scopes;
    }
}
