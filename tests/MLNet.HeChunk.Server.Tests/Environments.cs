using System.Net;
using System.Net.Sockets;

namespace MLNet.HeChunk.Server.Tests;

/// <summary>What the tests need from the machine: free loopback ports, the repository root, the CI rule for skips.</summary>
internal static class Environments
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string? RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HeChunkML.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName;
    }

    /// <summary>Skips the calling [SkippableFact] with <paramref name="message"/>, or fails when CI=true.</summary>
    public static void SkipOrFailUnderCi(string message)
    {
        if (IsCi)
        {
            throw new InvalidOperationException(message + " CI=true requires it.");
        }

        Skip.If(true, message);
    }
}
