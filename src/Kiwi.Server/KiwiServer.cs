using System.Net;
using System.Runtime.CompilerServices;
using Kiwi.Core;
using Kiwi.Resp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Kiwi.Server;

/// <summary>
/// Hosts the RESP listener on Kestrel's connection layer (sockets + System.IO.Pipelines, pooled memory) until
/// SIGINT/SIGTERM or SHUTDOWN; then stops accepting, lets in-flight writes finish and returns.
/// </summary>
public static class KiwiServer
{
    /// <summary>Runs the server over an open database; returns the process exit code.</summary>
    public static async Task<int> RunAsync(ServerConfig config, KiwiDb db, CancellationToken stop, Action<int>? started = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(db);
        int boundPort = config.Port;
        var settings = new ServerSettings(config, () => boundPort, db);
        db.KeyspaceEvents = config.NotifyKeyspaceEvents;
        var state = new ServerState(db, settings);

        // Program sets these first, before the database opens (its Raft transport uses sockets); here for a
        // caller that runs the server without Program (tests): set once per process, the first values stay.
        bool inline = SocketEngineSettings.Apply(config);

        // No appsettings.json reload: its file watcher covers the content root (the working directory), which
        // usually holds the data directory (--dir ./data), so every WAL append woke the watcher thread and
        // allocated its event objects: the main source of allocation per SET before it was turned off.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(state);
        // The embedding hosting's event log and health check over the database Program opened (and closes).
        builder.Services.AddKiwiDb(db);
        builder.Services.AddHealthChecks().AddKiwiDb();
        // How long stopping waits for the sessions: killed, each finishes its in-flight writes and closes in
        // milliseconds, and commands that walk keys stop at once (ClientSession.Cancellation). Only a command that
        // cannot stop is waited for, and not for long: Program then bounds the storage close as well.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        builder.Services.Configure<SocketTransportOptions>(o =>
        {
            // The socket pauses once 1 MB of a client's input is unread: a client that pipelines without
            // reading its replies is held there. A single command bigger than that is moved out of the pipe
            // by its session (ClientSession.LargeCommandThreshold), bounded by the query buffer limit.
            o.MaxReadBufferSize = 1024 * 1024;
            o.MaxWriteBufferSize = 1024 * 1024;
            o.NoDelay = true;
            o.UnsafePreferInlineScheduling = inline;
        });
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Parse(config.Bind), config.Port, listen => listen.UseConnectionHandler<RespConnectionHandler>());
        });

        WebApplication app = builder.Build();
        await using ConfiguredAsyncDisposable appScope = app.ConfigureAwait(false);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
        state.ShutdownRequested = () => stopping.Cancel();
        using CancellationTokenRegistration onStop = stopping.Token.Register(() => app.Lifetime.StopApplication());

        // Kestrel stops accepting first; then every session is told to finish: it completes the writes it has
        // in flight, sends their replies and closes, instead of idling until the host's shutdown timeout.
        using CancellationTokenRegistration onStopping = app.Lifetime.ApplicationStopping.Register(() =>
        {
            foreach (ClientSession client in state.Clients.Values)
            {
                client.Kill();
            }
        });

        // Writes published on the I/O thread are applied once per event-loop wave (see WaveWriteScheduler).
        using WaveWriteScheduler? waves = inline && config.InlineApply ? new WaveWriteScheduler(db) : null;
        waves?.Start();
        state.WriteScheduler = waves;
        await app.StartAsync(CancellationToken.None).ConfigureAwait(false);
        IServerAddressesFeature? addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        string? first = addresses?.Addresses.FirstOrDefault();
        if (first is not null && Uri.TryCreate(first, UriKind.Absolute, out Uri? uri))
        {
            boundPort = uri.Port;
        }

        started?.Invoke(boundPort);
        Console.Out.WriteLine($"Kiwi.Fast listening on {config.Bind}:{boundPort}, data in {Path.GetFullPath(config.Dir)}, appendfsync {config.AppendFsync.ToString().ToLowerInvariant()}");
        if (db.Raft is { } raft)
        {
            Console.Out.WriteLine($"Kiwi.Fast cluster mode: Raft member {raft.EndPoint} (node id {RaftInfo.NodeId(raft.EndPoint)}) of {raft.Members.Count()} members");
        }

        using var sampler = new Timer(static s => ((ServerState)s!).SampleOps(), state, 100, 100);
        await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}
