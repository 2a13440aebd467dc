using TorchSharp;

namespace MLNet.HeChunk.Training.Tests;

/// <summary>
/// TorchSharp's native shim loads from this project's own build output: the ELF patch of the
/// referenced training project reached this output folder.
/// </summary>
public sealed class TorchSharpLoadTests
{
    [Fact]
    public void NativeLibraryLoadsAndComputes()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3 });
        using var b = (a * a).sum();
        Assert.Equal(14f, b.item<float>());
    }

    [Fact]
    public void OutputCopyHasTheVersionNeedMarkedWeak()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"{path} is missing from the build output.");
        Assert.Equal(ElfVersionNeeds.WeakFlag, ElfVersionNeeds.Flags(File.ReadAllBytes(path), "GLIBCXX_3.4.32") & ElfVersionNeeds.WeakFlag);
    }

    [Fact]
    public void OneAdamStepOnAConvolutionLowersTheLoss()
    {
        torch.manual_seed(3);
        using var conv = torch.nn.Conv2d(1, 2, 3);
        using var input = torch.randn(4, 1, 8, 8);
        using var target = torch.randn(4, 2, 6, 6);
        using var optimizer = torch.optim.Adam(conv.parameters(), 0.05);
        float before = 0, after = 0;
        for (int step = 0; step < 20; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = torch.nn.functional.mse_loss(conv.forward(input), target);
            loss.backward();
            optimizer.step();
            if (step == 0) before = loss.item<float>();
            after = loss.item<float>();
        }
        Assert.True(after < before * 0.9, $"loss {before} -> {after}");
    }
}
