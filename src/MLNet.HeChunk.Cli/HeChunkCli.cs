using System.CommandLine;
using MLNet.HeChunk.Cli.Commands;
using Spectre.Console;

namespace MLNet.HeChunk.Cli;

/// <summary>
/// The hechunk command line: builds the verbs and runs one invocation. Every failure becomes one line
/// <c>error: ...</c> on the error writer and a non-zero exit code (1 for a failed run, 2 for a usage error); no stack trace
/// reaches the user.
/// </summary>
public static class HeChunkCli
{
    /// <summary>Exit code of a successful run.</summary>
    public const int Success = 0;

    /// <summary>Exit code of a run that failed on its input or during its work.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a command line that does not parse.</summary>
    public const int UsageError = 2;

    /// <summary>Runs one command line.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="console">Where progress and tables go; the process console when null.</param>
    /// <param name="error">Where the error line goes; standard error when null.</param>
    /// <returns>The exit code.</returns>
    public static int Run(string[] args, IAnsiConsole? console = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        console ??= AnsiConsole.Console;
        error ??= Console.Error;
        var context = new CliContext(console);
        RootCommand root = BuildRootCommand(context);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Every parse error on one line: "bogus" gives both "Required command was not provided" and the token's error.
            error.WriteLine($"error: {string.Join("; ", parsed.Errors.Select(e => e.Message.TrimEnd('.')))} (see hechunk --help)");
            return UsageError;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error.WriteLine($"error: {ErrorMessage.Describe(e)}");
            return Failure;
        }
    }

    /// <summary>The root command with every verb.</summary>
    internal static RootCommand BuildRootCommand(CliContext context)
    {
        var root = new RootCommand(
            "hechunk: privacy-preserving image classification with chunked images, a Sobel gate, CKKS encryption of the " +
            "feature chunks and a chunk CNN scored on ciphertexts (after Jia et al. 2023).");
        root.Subcommands.Add(ExperimentCommand.Create(context));
        root.Subcommands.Add(CrossValidateCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(KeysCommand.Create(context));
        root.Subcommands.Add(EncryptCommand.Create(context));
        root.Subcommands.Add(ScoreCommand.Create(context));
        root.Subcommands.Add(DecryptCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        root.Subcommands.Add(LoadTestCommand.Create(context));
        return root;
    }
}
