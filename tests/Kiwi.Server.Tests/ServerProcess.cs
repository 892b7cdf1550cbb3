using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kiwi.Server.Tests;

/// <summary>
/// kiwi-server as a child process, for what only a process shows (signals, exit): a fresh data directory and an
/// ephemeral port, read from its "listening on" line. Dispose kills it if it still runs and deletes the directory.
/// </summary>
internal sealed partial class ServerProcess : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private readonly string _dir;
    private readonly bool _ownsDir;

    private ServerProcess(Process process, string dir, bool ownsDir)
    {
        Process = process;
        _dir = dir;
        _ownsDir = ownsDir;
    }

    /// <summary>The server process.</summary>
    public Process Process { get; }

    /// <summary>The port it listens on.</summary>
    public int Port { get; private set; }

    /// <summary>What it printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts kiwi-server on port 0 and waits until it listens: with a new data directory (deleted on dispose), or
    /// on <paramref name="dir"/> (kept), with <paramref name="settings"/> as more <c>--name value</c> flags.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string? dir = null, params string[] settings)
    {
        string server = Path.Combine(AppContext.BaseDirectory, "kiwi-server.dll");
        Assert.True(File.Exists(server), server);
        bool ownsDir = dir is null;
        dir ??= Path.Combine(Path.GetTempPath(), "kiwi-process-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["exec", server, "--port", "0", "--dir", dir, "--block-cache-size", "8mb", .. settings])
        {
            start.ArgumentList.Add(arg);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var result = new ServerProcess(Process.Start(start)!, dir, ownsDir);
        result.Process.OutputDataReceived += (_, e) => result.OnLine(e.Data, listening);
        result.Process.ErrorDataReceived += (_, e) => result.OnLine(e.Data, listening);
        result.Process.BeginOutputReadLine();
        result.Process.BeginErrorReadLine();
        try
        {
            Task exited = result.Process.WaitForExitAsync();
            Task first = await Task.WhenAny(listening.Task, exited).WaitAsync(s_startTimeout);
            Assert.True(first == listening.Task, "kiwi-server exited before listening: " + result.Output);
            result.Port = await listening.Task;
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs kiwi-server with <paramref name="args"/> as they are, for a start that must fail: waits for it to exit
    /// and returns its exit code and standard error.
    /// </summary>
    public static async Task<(int ExitCode, string Error)> RunToExitAsync(params string[] args)
    {
        string server = Path.Combine(AppContext.BaseDirectory, "kiwi-server.dll");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["exec", server, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(s_startTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await output;
        return (process.ExitCode, await error);
    }

    /// <summary>Sends SIGTERM, as a service manager stopping the server does.</summary>
    public void Terminate()
    {
        using Process kill = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        Process.Dispose();
        if (!_ownsDir)
        {
            return;
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void OnLine(string? line, TaskCompletionSource<int> listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        Match match = ListeningLine().Match(line);
        if (match.Success)
        {
            listening.TrySetResult(int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture));
        }
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    [GeneratedRegex(@"listening on [^ ]*:(\d+),")]
    private static partial Regex ListeningLine();
}
