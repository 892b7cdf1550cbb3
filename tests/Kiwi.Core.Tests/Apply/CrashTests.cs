using System.Diagnostics;
using System.Globalization;

namespace Kiwi.Core.Tests.Apply;

/// <summary>kill -9 of a writing process: every write it acknowledged is there after reopening.</summary>
public sealed class CrashTests
{
    [Fact]
    public async Task KillDuringWrites_LosesNoAcknowledgedWrite()
    {
        using var dir = new TempDirectory();
        string writer = Path.Combine(AppContext.BaseDirectory, "Kiwi.CrashWriter.dll");
        Assert.True(File.Exists(writer), writer);
        var start = new ProcessStartInfo(DotnetHost(), $"exec \"{writer}\" \"{dir.Path}\" always 64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        var acked = new List<long>();
        using (Process process = Process.Start(start)!)
        {
            try
            {
                using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                while (acked.Count < 3000)
                {
                    string? line = await process.StandardOutput.ReadLineAsync(deadline.Token);
                    if (line is null)
                    {
                        Assert.Fail("the writer exited early: " + await process.StandardError.ReadToEndAsync());
                    }

                    acked.Add(ParseAck(line));
                }
            }
            finally
            {
                process.Kill(entireProcessTree: true);
            }

            // Acks printed before the kill are still in the pipe.
            string? rest;
            while ((rest = await process.StandardOutput.ReadLineAsync()) is not null)
            {
                if (rest.StartsWith("ack ", StringComparison.Ordinal))
                {
                    acked.Add(ParseAck(rest));
                }
            }

            await process.WaitForExitAsync();
        }

        using KiwiDb db = KiwiDb.Open(new KiwiDbOptions { Path = dir.Path, ActiveExpiry = false });
        foreach (long n in acked)
        {
            string suffix = n.ToString(CultureInfo.InvariantCulture);
            Assert.Equal("v" + suffix, db.GetString("k" + suffix));
        }

        Assert.True(db.AppliedIndex >= acked.Count, $"applied index {db.AppliedIndex} < {acked.Count} acknowledged writes");
    }

    private static long ParseAck(string line)
    {
        Assert.StartsWith("ack ", line, StringComparison.Ordinal);
        return long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
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
