using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kiwi.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: packed into a folder feed, Kiwi.Core referenced by a fresh console project
/// that opens a database, and kiwi-server installed as a dotnet tool that answers PING. One test: packing and
/// restoring are slow. It packs what the solution build left in Release (no rebuild), under a version of its own
/// so no earlier run's copy in the NuGet cache is taken, and removes that version from the cache afterwards.
/// </summary>
public sealed class LocalFeedTests
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan s_serverStartTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task PackagesFromAFolderFeed_BuildAConsumer_AndInstallTheServerTool()
    {
        string version = "0.1.0-test.t" + Guid.NewGuid().ToString("N")[..12];
        string root = Path.Combine(Path.GetTempPath(), "kiwi-packaging-" + Guid.NewGuid().ToString("N"));
        string feed = Path.Combine(root, "feed");
        Directory.CreateDirectory(feed);
        try
        {
            await DotnetCli.RunAsync(DotnetCli.Executable, ["pack", Path.Combine(RepositoryRoot(), "Kiwi.Fast.sln"), "-c", "Release", "--no-build", "-o", feed, $"-p:Version={version}"], root, s_commandTimeout);
            foreach (string id in new[] { "Kiwi.Native", "Kiwi.Core", "Kiwi.Resp", "Kiwi.Extensions.Hosting", "kiwi-server" })
            {
                Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.nupkg")), $"{id} is packed");
                Assert.True(File.Exists(Path.Combine(feed, $"{id}.{version}.snupkg")), $"{id} has a symbols package");
            }

            await ConsumeKiwiCoreAsync(root, feed, version);
            await InstallAndRunServerToolAsync(root, feed, version);
        }
        finally
        {
            TryDelete(root);
            string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom ? custom
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (string id in new[] { "kiwi.native", "kiwi.core" })
            {
                TryDelete(Path.Combine(cache, id, version));
                if (Directory.Exists(Path.Combine(cache, id)) && !Directory.EnumerateFileSystemEntries(Path.Combine(cache, id)).Any())
                {
                    TryDelete(Path.Combine(cache, id));
                }
            }
        }
    }

    private static async Task ConsumeKiwiCoreAsync(string root, string feed, string version)
    {
        string app = Path.Combine(root, "consumer");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Kiwi.Core" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            using Kiwi.Core;

            await using KiwiDb db = KiwiDb.Open(args[0]);
            await db.SetAsync("greeting", "hello from the package");
            Console.WriteLine($"value={db.GetString("greeting")}");
            """);

        string output = await DotnetCli.RunAsync(DotnetCli.Executable, ["run", "-c", "Release", "--", Path.Combine(root, "consumer-data")], app, s_commandTimeout);
        Assert.Contains("value=hello from the package", output, StringComparison.Ordinal);
    }

    private static async Task InstallAndRunServerToolAsync(string root, string feed, string version)
    {
        string tools = Path.Combine(root, "tools");

        // Only the folder feed: the tool package carries its dependencies, so the install needs no network.
        string config = Path.Combine(root, "feed-only.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await DotnetCli.RunAsync(DotnetCli.Executable, ["tool", "install", "--tool-path", tools, "--configfile", config, "--add-source", feed, "kiwi-server", "--version", version], root, s_commandTimeout);

        int port = FreePort();
        string data = Path.Combine(root, "server-data");
        using Process server = DotnetCli.Start(Path.Combine(tools, "kiwi-server"), ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", data], root);
        var output = new StringBuilder();
        server.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            string reply = await PingAsync(server, port, output);
            Assert.Equal("+PONG\r\n", reply);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }

            await server.WaitForExitAsync().WaitAsync(s_serverStartTimeout);
        }
    }

    // Connects until the server listens (or exits, or the deadline passes), then sends PING.
    private static async Task<string> PingAsync(Process server, int port, StringBuilder output)
    {
        DateTime deadline = DateTime.UtcNow + s_serverStartTimeout;
        while (true)
        {
            Assert.False(server.HasExited, $"kiwi-server exited with {(server.HasExited ? server.ExitCode : 0)}:\n{output}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                NetworkStream stream = client.GetStream();
                await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray());
                var buffer = new byte[64];
                int read = 0;
                using var timeout = new CancellationTokenSource(s_serverStartTimeout);
                while (read < 2 || buffer[read - 1] != (byte)'\n')
                {
                    int n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                    Assert.True(n > 0, "kiwi-server closed the connection before answering PING");
                    read += n;
                }

                return Encoding.ASCII.GetString(buffer, 0, read);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kiwi.Fast.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kiwi.Fast.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
