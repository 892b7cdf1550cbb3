using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Kiwi.Bench;

/// <summary>
/// The kiwi-server process <c>kiwi-bench scale</c> drives: started by the bench (then its RSS can be read from
/// /proc) or one already listening that it targets.
/// </summary>
internal sealed class ScaleServer : IAsyncDisposable
{
    private readonly Process? _process;

    private ScaleServer(int port, Process? process)
    {
        Port = port;
        _process = process;
    }

    public int Port { get; }

    /// <summary>A server already running on <paramref name="port"/>.</summary>
    public static ScaleServer Existing(int port) => new(port, null);

    /// <summary>Starts kiwi-server on <paramref name="dir"/> with a block cache of <paramref name="blockCacheBytes"/> and waits until it answers.</summary>
    public static async Task<ScaleServer> StartAsync(string executable, int port, string dir, long blockCacheBytes, string extraArgs)
    {
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--dir", dir, "--block-cache-size", blockCacheBytes.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(arg);
        }

        foreach (string arg in extraArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            info.ArgumentList.Add(arg);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {executable}");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("kiwi-server: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ScaleServer(port, process);
        await server.WaitReadyAsync(TimeSpan.FromSeconds(120));
        return server;
    }

    /// <summary>The kiwi-server built in this repository (Release, else Debug), found upward from the bench's directory.</summary>
    public static string FindExecutable()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string config in (string[])["Release", "Debug"])
            {
                string candidate = Path.Combine(dir.FullName, "src", "Kiwi.Server", "bin", config, "net10.0", "kiwi-server");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("kiwi-server not found; build src/Kiwi.Server or pass --server PATH");
    }

    /// <summary>Resident set size of the started server in bytes (VmRSS), or -1 when the bench did not start it.</summary>
    public long RssBytes()
    {
        if (_process is null || _process.HasExited)
        {
            return -1;
        }

        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    /// <summary>CPU time the started server has used (user and system), or -1 when the bench did not start it.</summary>
    public TimeSpan CpuTime()
    {
        if (_process is null || _process.HasExited)
        {
            return TimeSpan.FromTicks(-1);
        }

        // /proc/PID/stat: "pid (comm) state ..." with utime and stime the 12th and 13th fields after the comm.
        string stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>Stops a started server with SHUTDOWN (killed if it has not exited within a minute).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            using var client = new ScaleClient(Port, 64);
            client.AppendRaw("*1\r\n$8\r\nSHUTDOWN\r\n"u8);
            await client.ExecuteAsync(0);
        }
        catch (SocketException)
        {
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new ScaleClient(Port, 64);
                client.AppendRaw("*1\r\n$4\r\nPING\r\n"u8);
                await client.ExecuteAsync(1);
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                if (_process!.HasExited || clock.Elapsed > timeout)
                {
                    throw new InvalidOperationException($"kiwi-server did not start on port {Port}", ex);
                }

                await Task.Delay(200);
            }
        }
    }
}
