using Spectre.Console;

namespace MLNet.HeChunk.Cli.Tests;

/// <summary>Runs the tool in-process with a recording console and error writer.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        int code = HeChunkCli.Run(args, console, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Asserts a failure reported as exactly one line "error: ..." naming <paramref name="expected"/>, without a stack trace.</summary>
    public void AssertOneLineError(params string[] expected)
    {
        Assert.NotEqual(0, ExitCode);
        string[] lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one error line, got:\n{Error}\noutput:\n{Output}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.DoesNotContain("   at ", Error);
        Assert.DoesNotContain("   at ", Output);
        foreach (string text in expected)
        {
            Assert.Contains(text, lines[0], StringComparison.OrdinalIgnoreCase);
        }
    }
}
