using System.Diagnostics;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>Runs the system tools the fault harness drives (<c>ip</c>, <c>bridge</c>, <c>kill</c>), each bounded by a deadline.</summary>
internal static class Shell
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    /// <summary>Runs the command; throws with its error output when it fails or does not finish in time.</summary>
    public static string Run(string command, params string[] args)
    {
        (int exitCode, string output, string error) = TryRun(command, args);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({exitCode}): {error.Trim()}");
        }

        return output;
    }

    /// <summary>Runs the command and returns its exit code and output, whatever the code (-1: did not finish in time).</summary>
    public static (int ExitCode, string Output, string Error) TryRun(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_deadline))
        {
            process.Kill();
            return (-1, string.Empty, $"did not finish in {s_deadline.TotalSeconds} s");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
