using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// One kiwi-server process run inside a network namespace (<c>ip netns exec</c> execs the server itself, so the
/// process id is the server's and signals reach it). The process runs until <see cref="Kill"/> or dispose; its
/// data directory is the caller's and outlives it, so a member can be started again on the same data.
/// </summary>
internal sealed class MemberProcess : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private readonly Process _process;
    private StreamWriter? _log;

    private MemberProcess(Process process, StreamWriter? log)
    {
        _process = process;
        _log = log;
    }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>False once the process has exited.</summary>
    public bool Running => !_process.HasExited;

    /// <summary>The last lines it printed (stdout and stderr), for failure messages.</summary>
    public string OutputTail
    {
        get
        {
            lock (_output)
            {
                string text = _output.ToString();
                return text.Length <= 4000 ? text : text[^4000..];
            }
        }
    }

    /// <summary>
    /// Starts kiwi-server in <paramref name="netns"/> with <paramref name="args"/> (<c>--name value</c> flags) and
    /// waits until it prints that it listens. With <paramref name="logPath"/>, every line it prints is appended
    /// there too (the output tail keeps only the end).
    /// </summary>
    public static async Task<MemberProcess> StartAsync(string netns, IEnumerable<string> args, string? logPath = null)
    {
        string server = Path.Combine(AppContext.BaseDirectory, "kiwi-server.dll");
        Assert.True(File.Exists(server), server);
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["netns", "exec", netns, DotnetHost(), "exec", server, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StreamWriter? log = logPath is null ? null : new StreamWriter(logPath, append: true) { AutoFlush = true };
        var member = new MemberProcess(Process.Start(start)!, log);
        member._process.OutputDataReceived += (_, e) => member.OnLine(e.Data, listening);
        member._process.ErrorDataReceived += (_, e) => member.OnLine(e.Data, listening);
        member._process.BeginOutputReadLine();
        member._process.BeginErrorReadLine();
        try
        {
            Task first = await Task.WhenAny(listening.Task, member._process.WaitForExitAsync()).WaitAsync(s_startTimeout);
            Assert.True(first == listening.Task, "kiwi-server exited before listening: " + member.OutputTail);
            return member;
        }
        catch
        {
            member.Dispose();
            throw;
        }
    }

    /// <summary>
    /// SIGSTOP: the process freezes (a long GC pause, a frozen VM); the kernel still accepts its connections.
    /// Returns once every thread is stopped (the signal is delivered to each thread on its own).
    /// </summary>
    public void Pause()
    {
        Signal("-STOP");
        var clock = Stopwatch.StartNew();
        while (!AllThreadsStopped())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"kiwi-server {Pid} not stopped 5 s after SIGSTOP");
            Thread.Yield();
        }
    }

    /// <summary>SIGCONT: the process goes on where it stopped.</summary>
    public void Resume() => Signal("-CONT");

    /// <summary>SIGKILL, then waits for the exit: nothing of the process runs on.</summary>
    public void Kill()
    {
        if (Running)
        {
            _process.Kill();
        }

        Assert.True(_process.WaitForExit(30_000), "kiwi-server did not exit after SIGKILL");
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }

        _process.Dispose();
        lock (_output)
        {
            // Lines may still arrive from the exited process's pipes: they are not logged any more.
            _log?.Dispose();
            _log = null;
        }
    }

    // A thread's state is the field after the parenthesized command name in /proc/PID/task/TID/stat: 'T' is stopped.
    private bool AllThreadsStopped()
    {
        foreach (string task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                if (stat[stat.LastIndexOf(')') + 2] != 'T')
                {
                    return false;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread exited meanwhile.
            }
        }

        return true;
    }

    private void Signal(string signal) => Shell.Run("kill", signal, Pid.ToString(CultureInfo.InvariantCulture));

    private void OnLine(string? line, TaskCompletionSource listening)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _log?.WriteLine(line);
            _output.AppendLine(line);
            if (_output.Length > 64 * 1024)
            {
                // A long run logs a lot: keep the end, which failure messages show.
                _output.Remove(0, _output.Length - (16 * 1024));
            }
        }

        if (line.Contains("listening on ", StringComparison.Ordinal))
        {
            listening.TrySetResult();
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
}
