using System.Diagnostics;
using System.Text;

namespace Kiwi.Packaging.Tests;

/// <summary>Runs the <c>dotnet</c> CLI (the one running the tests) with a bound, capturing its output.</summary>
internal static class DotnetCli
{
    /// <summary>The dotnet executable: the one the SDK named for child processes, else the one on PATH.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs <paramref name="fileName"/> to completion; fails the test on a non-zero exit or the timeout.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        using Process process = Start(fileName, arguments, workingDirectory);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{fileName} {string.Join(' ', arguments)}' did not finish within {timeout}:\n{Snapshot(output)}");
        }

        // The exit wait returns before the last output lines: this one waits for them.
        process.WaitForExit();
        string text = Snapshot(output);
        Assert.True(process.ExitCode == 0, $"'{fileName} {string.Join(' ', arguments)}' exited with {process.ExitCode}:\n{text}");
        return text;
    }

    /// <summary>Starts a process with redirected output and an environment free of the parent build's MSBuild state.</summary>
    public static Process Start(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // dotnet test runs the tests under MSBuild's environment; a nested build must find its own SDK state.
        foreach (string name in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        // A tool's launcher finds the runtime through DOTNET_ROOT: the one running these tests.
        if (Path.GetDirectoryName(Executable == "dotnet" ? Environment.ProcessPath : Executable) is { Length: > 0 } dotnetRoot
            && File.Exists(Path.Combine(dotnetRoot, "dotnet")))
        {
            info.Environment["DOTNET_ROOT"] = dotnetRoot;
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
