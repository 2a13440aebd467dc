using Spectre.Console;

namespace MLNet.HeChunk.Cli;

/// <summary>What every verb shares: the console it writes progress, tables and results to.</summary>
/// <param name="Console">The Spectre console (the process console, or a recording one in tests).</param>
internal sealed record CliContext(IAnsiConsole Console);
