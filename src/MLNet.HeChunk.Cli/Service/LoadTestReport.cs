namespace MLNet.HeChunk.Cli.Service;

/// <summary>What one load run measured: throughput, latency percentiles of the calls, errors.</summary>
internal sealed record LoadTestReport(string Name, int Images, int Errors, double Seconds, double[] LatenciesMs)
{
    public double ImagesPerSecond => Images / Seconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. LatenciesMs.Order()];
        int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
