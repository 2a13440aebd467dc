using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNet.HeChunk.Training;

/// <summary>A trained <see cref="OriginalCnn"/> with its training record; saves and loads as bytes.</summary>
public sealed class TrainedOriginalCnn : IDisposable
{
    /// <summary>Current version of the <see cref="Save"/> format.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "HCOC"u8.ToArray();

    internal TrainedOriginalCnn(OriginalCnn model, TrainingHistory? history)
    {
        Model = model;
        History = history;
    }

    /// <summary>The TorchSharp module, in evaluation mode.</summary>
    public OriginalCnn Model { get; }

    /// <summary>Per-epoch figures and the epoch that was kept; null for a model loaded from bytes.</summary>
    public TrainingHistory? History { get; }

    /// <summary>Logits, one array per image.</summary>
    public double[][] Logits(IReadOnlyList<float[]> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = torch.NewDisposeScope();
        Tensor batch = TensorData.Images(images, Model.Height, Model.Width);
        return ModelEvaluation.ToArrays(ModelEvaluation.Logits(Model, batch, 128));
    }

    /// <summary>Fraction of <paramref name="data"/> classified correctly.</summary>
    public double Accuracy(ImageDataset data) => TrainedModelScoring.Accuracy(Model, data);

    /// <summary>
    /// The model as bytes: a small header (magic "HCOC", format version, image size, class count,
    /// layer sizes, input normalization) followed by TorchSharp's own state-dictionary bytes.
    /// </summary>
    public byte[] Save()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            OriginalCnnOptions o = Model.Options;
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(Model.Height);
            writer.Write(Model.Width);
            writer.Write(Model.ClassCount);
            writer.Write(o.Conv1Channels);
            writer.Write(o.Conv2Channels);
            writer.Write(o.KernelSize);
            writer.Write(o.Pool1);
            writer.Write(o.Pool2);
            writer.Write(o.HiddenSize);
            writer.Write(o.Dropout);
            writer.Write(Model.Normalization.Scale);
            writer.Write(Model.Normalization.Offset);
            Model.save(writer);
        }
        return stream.ToArray();
    }

    /// <summary>Rebuilds a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a saved baseline model of a known version.</exception>
    public static TrainedOriginalCnn Load(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        OriginalCnn? model = null;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
            if (!reader.ReadBytes(4).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException("Baseline CNN: bad magic number (expected \"HCOC\").");
            int version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new InvalidDataException($"Baseline CNN: format version {version} is not supported (this reader knows {FormatVersion}).");
            int height = reader.ReadInt32(), width = reader.ReadInt32(), classCount = reader.ReadInt32();
            var options = new OriginalCnnOptions
            {
                Conv1Channels = reader.ReadInt32(),
                Conv2Channels = reader.ReadInt32(),
                KernelSize = reader.ReadInt32(),
                Pool1 = reader.ReadInt32(),
                Pool2 = reader.ReadInt32(),
                HiddenSize = reader.ReadInt32(),
                Dropout = reader.ReadDouble(),
            };
            var normalization = new InputNormalization(reader.ReadDouble(), reader.ReadDouble());
            model = new OriginalCnn(height, width, classCount, options, normalization);
            model.load(reader, strict: true);
            if (reader.BaseStream.Position != bytes.Length)
                throw new InvalidDataException("Baseline CNN: unexpected bytes after the weights.");
            model.eval();
            return new TrainedOriginalCnn(model, null);
        }
        catch (Exception e) when (e is not InvalidDataException && e is EndOfStreamException or ArgumentException or ArgumentOutOfRangeException
                                      or IOException or InvalidOperationException or OverflowException)
        {
            model?.Dispose();
            throw new InvalidDataException($"Baseline CNN: the bytes are not a valid saved model ({e.Message}).", e);
        }
        catch
        {
            model?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
