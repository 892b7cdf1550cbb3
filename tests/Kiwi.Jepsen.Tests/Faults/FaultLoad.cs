using System.Diagnostics;
using System.Net;
using Kiwi.Jepsen.Tests.Cluster;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Faults;

/// <summary>
/// Clients that run while faults come and go: each a sequential process doing SET/GET on registers and INCR/GET
/// on counters (keys under one prefix), every operation on a member picked at random, until stopped. Each SET
/// writes a value of its own, so a lost or replayed SET shows in the final values, and INCRs show a duplicate
/// as a counter above its acknowledged plus unknown increments. Stopping takes at most one operation timeout.
/// </summary>
internal sealed class FaultLoad : IAsyncDisposable
{
    /// <summary>How long a client waits for a connection or a reply.</summary>
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromSeconds(1);

    private readonly IPEndPoint[] _members;
    private readonly HistoryRecorder _recorder = new();
    private readonly string[] _registers;
    private readonly string[] _counters;
    private readonly string _probe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _clients;
    private bool _stopped;

    private FaultLoad(IPEndPoint[] members, string prefix, int clients, int seed)
    {
        _members = members;
        _registers = [.. Enumerable.Range(0, 3).Select(i => $"{prefix}:r{i}")];
        _counters = [.. Enumerable.Range(0, 3).Select(i => $"{prefix}:c{i}")];
        _probe = $"{prefix}:probe";
        _clients = [.. Enumerable.Range(0, clients).Select(c => Task.Run(() => RunClientAsync(c, seed + c)))];
    }

    /// <summary>The acknowledged writes, as they come.</summary>
    public AckWatch Acks { get; } = new();

    /// <summary>The errors the clients met.</summary>
    public ErrorTally Errors { get; } = new();

    /// <summary>Every key the clients use.</summary>
    public string[] Keys => [.. _registers, .. _counters, _probe];

    /// <summary>Starts <paramref name="clients"/> clients on keys under <paramref name="prefix"/>.</summary>
    public static FaultLoad Start(IPEndPoint[] members, string prefix, int clients, int seed)
        => new(members, prefix, clients, seed);

    /// <summary>
    /// Stops the clients, then reads every key on every member as one more client of the history (retrying a read
    /// that fails, until a deadline), and returns the history and the final values: those read on
    /// <paramref name="leader"/>. A member's reads are linearizable, so each must agree with the others'.
    /// </summary>
    public async Task<WorkloadRun> StopAsync(int leader)
    {
        _stopped = true;
        await _stop.CancelAsync();
        await Task.WhenAll(_clients).WaitAsync(TimeSpan.FromSeconds(30));
        var final = new Dictionary<string, long?>(StringComparer.Ordinal);
        using var reader = new FaultClient(_clients.Length, _recorder, _members, new AckWatch(), new ErrorTally(), OperationTimeout);
        var clock = Stopwatch.StartNew();
        for (int member = 0; member < _members.Length; member++)
        {
            foreach (string key in Keys)
            {
                Reply reply;
                while ((reply = await reader.GetAsync(member, key)).Outcome != Outcome.Ok)
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the final GET {key} on member {member} kept failing ({reply.Outcome})");
                }

                if (member == leader)
                {
                    final[key] = reply.Value;
                }
            }
        }

        return new WorkloadRun(_recorder.ToHistory(), final, []);
    }

    /// <summary>Stops the clients if <see cref="StopAsync"/> did not (a test that failed cleans up).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _stop.CancelAsync();
            await Task.WhenAll(_clients).WaitAsync(TimeSpan.FromSeconds(30));
        }

        _stop.Dispose();
    }

    /// <summary>
    /// A client that knows the fault: it SETs a register of its own on <paramref name="reachable"/> members in
    /// turn, as fast as replies come, until any client has a write invoked since <see cref="AckWatch.Arm"/>
    /// acknowledged (or the deadline passes), so the failover time does not hang on the random clients' choices.
    /// </summary>
    public async Task ProbeAsync(int[] reachable, TimeSpan deadline)
    {
        using var client = new FaultClient(_clients.Length + 1, _recorder, _members, Acks, Errors, OperationTimeout);
        var clock = Stopwatch.StartNew();
        for (long sequence = 0; Acks.SinceArmed == 0 && clock.Elapsed < deadline && !_stop.IsCancellationRequested; sequence++)
        {
            if ((await client.SetAsync(reachable[sequence % reachable.Length], _probe, UniqueValue(_clients.Length + 1, sequence))).Outcome != Outcome.Ok)
            {
                await Task.Delay(10);
            }
        }
    }

    private async Task RunClientAsync(int id, int seed)
    {
        var random = new Random(seed);
        using var client = new FaultClient(id, _recorder, _members, Acks, Errors, OperationTimeout);
        for (long sequence = 0; !_stop.IsCancellationRequested; sequence++)
        {
            int member = random.Next(_members.Length);
            bool write = random.Next(2) == 0;
            Reply reply;
            if (random.Next(2) == 0)
            {
                string key = _registers[random.Next(_registers.Length)];
                reply = await (write ? client.SetAsync(member, key, UniqueValue(id, sequence)) : client.GetAsync(member, key));
            }
            else
            {
                string key = _counters[random.Next(_counters.Length)];
                reply = await (write ? client.IncrAsync(member, key) : client.GetAsync(member, key));
            }

            if (reply.Outcome != Outcome.Ok)
            {
                // A client backs off after an error, as real ones do; without it a refused connection makes a
                // client spin, and hundreds of writes of unknown outcome make the history costly to check.
                await Task.Delay(random.Next(20, 60));
            }
        }
    }

    private static long UniqueValue(int client, long sequence) => ((client + 1) * 1_000_000_000L) + sequence;
}
