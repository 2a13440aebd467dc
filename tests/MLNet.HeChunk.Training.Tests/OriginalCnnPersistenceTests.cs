using MLNet.HeChunk.Training;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>The baseline's save/load round trip (TorchSharp state bytes behind a small header).</summary>
public sealed class OriginalCnnPersistenceTests
{
    [Fact]
    public void SavedModelLoadsWithIdenticalLogits()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 6, size: 32, seed: 31);
        var options = new TrainingOptions { MaxEpochs = 2, Patience = 2, BatchSize = 16 };
        using TrainedOriginalCnn model = OriginalCnnTrainer.Train(data, new OriginalCnnOptions { Pool2 = 2, Conv1Channels = 4, Conv2Channels = 8, HiddenSize = 16 }, options);
        byte[] bytes = model.Save();
        using TrainedOriginalCnn loaded = TrainedOriginalCnn.Load(bytes);
        Assert.Equal(model.Model.Options, loaded.Model.Options);
        Assert.Equal(model.Model.Normalization, loaded.Model.Normalization);
        Assert.Equal(model.Logits(data.Images), loaded.Logits(data.Images));
    }

    [Fact]
    public void DamagedBytesAreRejected()
    {
        ImageDataset data = SyntheticPatterns.Generate(perClass: 3, size: 32, seed: 32);
        using TrainedOriginalCnn model = OriginalCnnTrainer.Train(
            data, new OriginalCnnOptions { Pool2 = 2, Conv1Channels = 2, Conv2Channels = 2, HiddenSize = 4 },
            new TrainingOptions { MaxEpochs = 1, Patience = 1, ValidationFraction = 0 });
        byte[] bytes = model.Save();
        Assert.Throws<InvalidDataException>(() => TrainedOriginalCnn.Load(bytes[..10]));
        Assert.Throws<InvalidDataException>(() => TrainedOriginalCnn.Load(bytes[..(bytes.Length - 3)]));
        byte[] badMagic = (byte[])bytes.Clone();
        badMagic[0] = (byte)'X';
        Assert.Throws<InvalidDataException>(() => TrainedOriginalCnn.Load(badMagic));
        byte[] otherShape = (byte[])bytes.Clone();
        otherShape[24] ^= 0x01; // Conv2Channels: the state no longer fits the module
        Assert.Throws<InvalidDataException>(() => TrainedOriginalCnn.Load(otherShape));
    }
}
