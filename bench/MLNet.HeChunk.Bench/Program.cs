using BenchmarkDotNet.Running;

namespace MLNet.HeChunk.Bench;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher, so any suite or filter can be chosen from the command line, e.g.
/// <c>dotnet run -c Release --project bench/MLNet.HeChunk.Bench -- --filter '*CkksOperation*'</c>.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen by <paramref name="args"/> (or, with <c>--cpu-time</c>, <see cref="CpuTimeRunner"/>).</summary>
    public static void Main(string[] args)
    {
        if (args is ["--cpu-time"])
        {
            CpuTimeRunner.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
