using MLNet.HeChunk.Ckks;
using MLNet.HeChunk.Ckks.Serialization;
using MLNet.HeChunk.Cnn;
using MLNet.HeChunk.Encryption;

namespace MLNet.HeChunk.Server.Models;

/// <summary>A loaded model: weights, class names, and what a client's keys and chunk groups must match.</summary>
public sealed class ServedModel
{
    /// <summary>Creates the served model and derives its packing, parameters and rotation steps.</summary>
    /// <exception cref="ArgumentException">The class names do not match the weights, or the parameters cannot carry the model.</exception>
    public ServedModel(string name, string version, ChunkCnnWeights weights, IReadOnlyList<string> classNames, CkksParameters parameters)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(parameters);
        if (classNames.Count != weights.ClassCount)
        {
            throw new ArgumentException($"model '{name}': {classNames.Count} class names for {weights.ClassCount} classes");
        }

        if (!parameters.IsSecure)
        {
            throw new ArgumentException($"model '{name}': the CKKS parameters are not 128-bit secure; a server does not serve them");
        }

        if (parameters.MaxLevel < ChunkPacking.RequiredDepth)
        {
            throw new ArgumentException($"model '{name}': the encrypted chunk CNN needs {ChunkPacking.RequiredDepth} levels, the parameters have {parameters.MaxLevel}");
        }

        Name = name;
        Version = version;
        Weights = weights;
        ClassNames = [.. classNames];
        Parameters = parameters;
        Packing = new ChunkPacking(weights.KernelSize, weights.Stride, weights.Channels);
        KeyRequests = ChunkCnnRotations.KeyRequests(Packing, weights.ChunkSize, parameters.SlotCount, parameters.MaxLevel);
        RotationSteps = [.. KeyRequests.Where(r => !r.IsConjugation).Select(r => r.Step)];
        RelinearizationLevel = ChunkCnnRotations.RelinearizationLevel(parameters.MaxLevel);
        ParameterBytes = CkksSerializer.ToBytes(parameters);
    }

    /// <summary>The name clients ask for.</summary>
    public string Name { get; }

    /// <summary>The version string.</summary>
    public string Version { get; }

    /// <summary>The trained weights.</summary>
    public ChunkCnnWeights Weights { get; }

    /// <summary>Class names in class order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The CKKS parameters keys must use.</summary>
    public CkksParameters Parameters { get; }

    /// <summary>The slot packing chunk groups must use.</summary>
    public ChunkPacking Packing { get; }

    /// <summary>Rotation steps the Galois keys must cover.</summary>
    public IReadOnlyList<int> RotationSteps { get; }

    /// <summary>Every Galois key the model uses (the conjugation too), each with the highest level it is used at.</summary>
    public IReadOnlyList<Ckks.GaloisKeyRequest> KeyRequests { get; }

    /// <summary>The highest level at which the model relinearizes.</summary>
    public int RelinearizationLevel { get; }

    /// <summary>The serialized parameters (what GetModel sends).</summary>
    public byte[] ParameterBytes { get; }
}
