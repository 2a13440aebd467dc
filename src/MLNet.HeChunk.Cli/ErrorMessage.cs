using System.Reflection;

namespace MLNet.HeChunk.Cli;

/// <summary>Turns any exception into the one line printed after <c>error:</c>: the message that names the problem.</summary>
internal static class ErrorMessage
{
    /// <summary>The most specific message of <paramref name="exception"/>, on one line.</summary>
    public static string Describe(Exception exception)
    {
        // ML.NET wraps a failing row in "Splitter/consolidator worker encountered exception..." and TPL in
        // AggregateException: the innermost exception is the one that names the file or column.
        Exception current = exception;
        string prefix = "";
        if (current is CliException cli)
        {
            if (cli.InnerException is null)
            {
                return OneLine(cli.Message);
            }

            prefix = cli.Message + ": ";
            current = cli.InnerException;
        }

        while (current is AggregateException { InnerExceptions.Count: 1 } or TargetInvocationException || IsWrapper(current))
        {
            if (current.InnerException is null)
            {
                break;
            }

            current = current.InnerException;
        }

        return OneLine(prefix + current.Message);
    }

    private static bool IsWrapper(Exception e) =>
        e.InnerException is not null &&
        (e.Message.Contains("encountered exception", StringComparison.Ordinal) || e.Message.Contains("One or more errors", StringComparison.Ordinal));

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
