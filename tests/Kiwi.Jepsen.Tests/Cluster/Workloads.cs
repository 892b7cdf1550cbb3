using System.Diagnostics;
using Kiwi.Jepsen.Tests.Histories;

namespace Kiwi.Jepsen.Tests.Cluster;

/// <summary>A history and each key's value read from the leader once the clients stopped.</summary>
/// <param name="History">Every operation of the clients, the final reads included.</param>
/// <param name="Final">Each key's value at the end.</param>
/// <param name="StaleReads">Reads their own client saw return something other than what it had just written.</param>
internal sealed record WorkloadRun(History History, IReadOnlyDictionary<string, long?> Final, IReadOnlyList<StaleRead> StaleReads);

/// <summary>A read that did not return what its client had just written to the key (no other client writes it).</summary>
internal sealed record StaleRead(string Key, string Detail);

/// <summary>
/// Client workloads against the nodes of a cluster (their RESP ports): each client is a sequential process, the
/// clients run concurrently, and every loop stops at an operation count or a deadline, whichever comes first.
/// Every SET writes a value of its own (client and sequence number), as the register checks need.
/// </summary>
internal static class Workloads
{
    /// <summary>
    /// Random SET/GET on registers and INCR/GET on counters, each operation on a node picked at random.
    /// </summary>
    public static async Task<WorkloadRun> RandomAsync(int[] ports, int leader, string prefix, int clients, int opsPerClient, TimeSpan duration, int seed)
    {
        string[] registers = [.. Enumerable.Range(0, 3).Select(i => $"{prefix}:r{i}")];
        string[] counters = [.. Enumerable.Range(0, 2).Select(i => $"{prefix}:c{i}")];
        var recorder = new HistoryRecorder();
        long deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        Task[] running = [.. Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(seed + c);
            using var client = new RecordingClient(c, recorder, ports);
            for (int i = 0; i < opsPerClient && Stopwatch.GetTimestamp() < deadline; i++)
            {
                int node = random.Next(ports.Length);
                bool write = random.Next(2) == 0;
                if (random.Next(5) < 3)
                {
                    string key = registers[random.Next(registers.Length)];
                    await (write ? client.SetAsync(node, key, UniqueValue(c, i)) : client.GetAsync(node, key));
                }
                else
                {
                    string key = counters[random.Next(counters.Length)];
                    await (write ? client.IncrAsync(node, key) : client.GetAsync(node, key));
                }
            }
        }))];
        await Task.WhenAll(running);
        IReadOnlyDictionary<string, long?> final = await ReadFinalAsync(recorder, ports, leader, clients, [.. registers, .. counters]);
        return new WorkloadRun(recorder.ToHistory(), final, []);
    }

    /// <summary>
    /// Each client has a register and a counter of its own: it SETs the register on the leader and GETs it on a
    /// follower, then INCRs the counter on the leader and GETs it on a follower (the followers in turn). With
    /// linearizable reads each GET returns what its client just wrote; one that does not is noted as stale (no
    /// checker is needed to see it).
    /// </summary>
    public static async Task<WorkloadRun> WriteOnLeaderReadOnFollowerAsync(
        int[] ports, int leader, string prefix, int clients, int iterations, TimeSpan duration)
    {
        int[] followers = [.. Enumerable.Range(0, ports.Length).Where(n => n != leader)];
        var recorder = new HistoryRecorder();
        var stale = new System.Collections.Concurrent.ConcurrentQueue<StaleRead>();
        long deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        Task[] running = [.. Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            string register = $"{prefix}:r{c}";
            string counter = $"{prefix}:c{c}";
            using var client = new RecordingClient(c, recorder, ports);
            for (int i = 0; i < iterations && Stopwatch.GetTimestamp() < deadline; i++)
            {
                int follower = followers[i % followers.Length];
                long value = UniqueValue(c, i);
                if ((await client.SetAsync(leader, register, value)).Outcome == Outcome.Ok
                    && await client.GetAsync(follower, register) is { Outcome: Outcome.Ok } read && read.Value != value)
                {
                    stale.Enqueue(new(register, $"SET {value} on the leader, then GET on node {follower} -> {Operation.FormatValue(read.Value)}"));
                }

                if (await client.IncrAsync(leader, counter) is { Outcome: Outcome.Ok } incr
                    && await client.GetAsync(follower, counter) is { Outcome: Outcome.Ok } count && count.Value != incr.Value)
                {
                    stale.Enqueue(new(counter, $"INCR on the leader -> {incr.Value}, then GET on node {follower} -> {Operation.FormatValue(count.Value)}"));
                }
            }
        }))];
        await Task.WhenAll(running);
        string[] keys = [.. Enumerable.Range(0, clients).SelectMany(c => new[] { $"{prefix}:r{c}", $"{prefix}:c{c}" })];
        IReadOnlyDictionary<string, long?> final = await ReadFinalAsync(recorder, ports, leader, clients, keys);
        return new WorkloadRun(recorder.ToHistory(), final, [.. stale]);
    }

    /// <summary>A SET value no other SET of the run writes.</summary>
    private static long UniqueValue(int client, int sequence) => ((client + 1) * 1_000_000L) + sequence;

    /// <summary>
    /// Reads every key on the leader once the clients have stopped, as one more client of the history (its reads
    /// are checked like the others'). A read that fails (the leader changed under CPU starvation, an election is
    /// under way) is tried again, on the next node, until a deadline: a failed read is no outcome for the checker.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, long?>> ReadFinalAsync(HistoryRecorder recorder, int[] ports, int leader, int clientId, string[] keys)
    {
        var final = new Dictionary<string, long?>(StringComparer.Ordinal);
        using var client = new RecordingClient(clientId, recorder, ports);
        long deadline = Environment.TickCount64 + 30_000;
        foreach (string key in keys)
        {
            int node = leader;
            Reply reply = await client.GetAsync(node, key);
            while (reply.Outcome != Outcome.Ok && Environment.TickCount64 < deadline)
            {
                node = (node + 1) % ports.Length;
                reply = await client.GetAsync(node, key);
            }

            Assert.True(reply.Outcome == Outcome.Ok, $"the final GET {key} failed on every node for 30 s ({reply.Outcome})");
            final[key] = reply.Value;
        }

        return final;
    }
}
