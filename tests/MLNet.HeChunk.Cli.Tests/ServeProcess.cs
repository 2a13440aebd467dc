using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MLNet.HeChunk.Cli.Tests;

/// <summary>
/// A child process: <c>dotnet hechunk.dll ARGS</c> (the tool built beside the tests) or another program, its output
/// kept for failure messages, killed by its own id on dispose.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    private ServeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>hechunk ARGS</c> as its own process, with <paramref name="environment"/> added.</summary>
    public static ServeProcess Hechunk(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        string tool = typeof(HeChunkCli).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", ["exec", tool, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>Starts any program.</summary>
    public static ServeProcess Program(string path, IEnumerable<string> args) =>
        new(Process.Start(new ProcessStartInfo(path, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"could not start {path}"));

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits (bounded) until something accepts connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public void WaitForPort(int port, TimeSpan limit)
    {
        DateTime end = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < end && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
            catch (SocketException)
            {
                throw new TimeoutException($"nothing listened on 127.0.0.1:{port} within {limit.TotalSeconds} s; process output:\n{Log}");
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
