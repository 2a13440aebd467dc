using System.Text.Json;
using MLNet.HeChunk.Cli.Reporting.Png;

namespace MLNet.HeChunk.Cli.Tests;

/// <summary>A folder-per-class set unlike NEU-CLS (3 classes, 64 x 64 PNG files without numbers) runs unchanged.</summary>
public sealed class OtherDatasetTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ThreeClassesOfSmallPngImagesRunEndToEnd()
    {
        string data = _folder["shapes"];
        var random = new Random(5);
        string[] classes = ["stripes", "checks", "noise"];
        for (int c = 0; c < classes.Length; c++)
        {
            Directory.CreateDirectory(Path.Combine(data, classes[c]));
            for (int i = 0; i < 8; i++)
            {
                var rgb = new byte[64 * 64 * 3];
                for (int y = 0; y < 64; y++)
                {
                    for (int x = 0; x < 64; x++)
                    {
                        int v = c switch
                        {
                            0 => (y / 4 % 2) * 160 + random.Next(60),
                            1 => ((x / 8 + y / 8) % 2) * 160 + random.Next(60),
                            _ => random.Next(220),
                        };
                        rgb[(y * 64 + x) * 3] = rgb[(y * 64 + x) * 3 + 1] = rgb[(y * 64 + x) * 3 + 2] = (byte)v;
                    }
                }

                File.WriteAllBytes(Path.Combine(data, classes[c], $"sample-{(char)('a' + i)}.png"), PngEncoder.Encode(64, 64, rgb));
            }
        }

        string outFolder = _folder["out"];
        var run = CliRun.Of("experiment", "--data", data, "--out", outFolder, "--epochs", "1", "--encrypted-limit", "1", "--timing-images", "1");
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outFolder, "report.json")));
        JsonElement root = json.RootElement;
        Assert.Equal(["checks", "noise", "stripes"], root.GetProperty("data").GetProperty("classes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(18, root.GetProperty("data").GetProperty("trainImages").GetInt32());
        Assert.Equal(6, root.GetProperty("data").GetProperty("testImages").GetInt32());
        Assert.StartsWith("stratified", root.GetProperty("data").GetProperty("split").GetString());
        Assert.Equal(1.0 / 3, root.GetProperty("leakage").GetProperty("chance").GetDouble(), 6);
        Assert.Equal(3, root.GetProperty("models")[0].GetProperty("confusion").GetArrayLength());
        Assert.True(File.Exists(Path.Combine(outFolder, "report.html")));
    }
}
