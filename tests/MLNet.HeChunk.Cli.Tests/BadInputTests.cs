namespace MLNet.HeChunk.Cli.Tests;

/// <summary>Every bad input ends in one line "error: ..." naming the problem and a non-zero exit code.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string ClassFolder(string name, int images)
    {
        string folder = Path.Combine(_folder["data"], name);
        Directory.CreateDirectory(folder);
        for (int i = 0; i < images; i++)
        {
            var pixels = new byte[32 * 32 * 3];
            new Random(i).NextBytes(pixels);
            File.WriteAllBytes(Path.Combine(folder, $"{name}_{i + 1}.png"), Reporting.Png.PngEncoder.Encode(32, 32, pixels));
        }

        return folder;
    }

    [Fact]
    public void MissingDataFolder() =>
        CliRun.Of("experiment", "--data", _folder["nowhere"], "--out", _folder["out"]).AssertOneLineError("nowhere", "does not exist");

    [Fact]
    public void EmptyDataFolder()
    {
        Directory.CreateDirectory(_folder["empty"]);
        CliRun.Of("experiment", "--data", _folder["empty"], "--out", _folder["out"]).AssertOneLineError("empty", "no image files");
    }

    [Fact]
    public void OneClass()
    {
        ClassFolder("only", 4);
        CliRun.Of("experiment", "--data", _folder["data"], "--out", _folder["out"]).AssertOneLineError("single class", "only");
    }

    [Fact]
    public void ImageWithoutAnImageHeader()
    {
        ClassFolder("a", 4);
        string b = ClassFolder("b", 4);
        File.WriteAllText(Path.Combine(b, "b_9.png"), "this is not a picture");
        CliRun.Of("experiment", "--data", _folder["data"], "--out", _folder["out"]).AssertOneLineError("b_9.png");
    }

    [Fact]
    public void ImageThatDoesNotDecode()
    {
        ClassFolder("a", 4);
        string b = ClassFolder("b", 4);
        byte[] truncated = [.. File.ReadAllBytes(Path.Combine(b, "b_1.png")).Take(40)];
        File.WriteAllBytes(Path.Combine(b, "b_1.png"), truncated);
        CliRun.Of("experiment", "--data", _folder["data"], "--out", _folder["out"], "--epochs", "1").AssertOneLineError("b_1.png");
    }

    [Fact]
    public void ClassWithOneImage()
    {
        ClassFolder("a", 4);
        ClassFolder("b", 1);
        CliRun.Of("experiment", "--data", _folder["data"], "--out", _folder["out"]).AssertOneLineError("'b'", "at least 2");
    }

    [Fact]
    public void CorruptModelZip()
    {
        string model = _folder["model.zip"];
        File.WriteAllBytes(model, [(byte)'P', (byte)'K', 3, 4, 1, 2, 3, 4, 5, 6, 7, 8]);
        string upload = _folder["upload.idv"];
        File.WriteAllText(upload, "x");
        CliRun.Of("score", "--model", model, "--keys", _folder.Path, "--in", upload, "--out", _folder["answers.idv"]).AssertOneLineError("model.zip");
    }

    [Fact]
    public void CorruptWeightsFile()
    {
        string weights = _folder["chunk-cnn.weights"];
        File.WriteAllBytes(weights, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        CliRun.Of("score", "--model", weights, "--keys", _folder.Path, "--in", weights, "--out", _folder["answers.idv"]).AssertOneLineError("chunk-cnn.weights");
    }

    [Fact]
    public void CorruptKeyFiles()
    {
        File.WriteAllBytes(_folder["public.keys"], [0x48, 0x43, 0x4B, 0x31, 9, 9, 9, 9]);
        File.WriteAllBytes(_folder["secret.key"], [1, 2, 3]);
        CliRun.Of("decrypt", "--keys", _folder.Path, "--in", _folder["public.keys"]).AssertOneLineError("key");
        ClassFolder("a", 2);
        ClassFolder("b", 2);
        CliRun.Of("encrypt", "--data", _folder["data"], "--keys", _folder.Path, "--out", _folder["upload.idv"]).AssertOneLineError("public key file");
    }

    [Fact]
    public void MissingKeyFolder() =>
        CliRun.Of("decrypt", "--keys", _folder["no-keys"], "--in", _folder["x.idv"]).AssertOneLineError("does not exist");

    [Fact]
    public void UnknownOptionIsAUsageError()
    {
        var run = CliRun.Of("experiment", "--no-such-option");
        run.AssertOneLineError("--no-such-option");
        Assert.Equal(HeChunkCli.UsageError, run.ExitCode);
    }

    [Fact]
    public void BadChunkSize() =>
        CliRun.Of("experiment", "--chunk", "30x30", "--out", _folder["out"]).AssertOneLineError("--chunk", "divide");
}
