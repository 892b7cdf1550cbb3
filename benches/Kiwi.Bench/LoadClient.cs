using System.Diagnostics;
using System.Runtime.CompilerServices;
using HdrHistogram;

namespace Kiwi.Bench;

/// <summary>
/// One connection of <c>kiwi-bench server</c>: sends a batch of commands in one write and times each reply from
/// the moment the batch was sent until that reply is parsed (as redis-benchmark times a pipeline). Replies are
/// skipped, not materialized; an error reply is counted. Pooled async state machines: nothing allocated per batch.
/// </summary>
internal sealed class LoadClient : RespConnection
{
    public LoadClient(int port, int requestCapacity)
        : base(port, requestCapacity)
    {
    }

    /// <summary>Error replies seen.</summary>
    public long Errors { get; private set; }

    public void Append(LoadCommand command, Random random, long keyspace) =>
        RequestLength += command.Write(Request.AsSpan(RequestLength), random, keyspace);

    /// <summary>Sends the request buffer and reads <paramref name="replies"/> replies, each one's latency recorded when <paramref name="latencies"/> is set.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(int replies, LongHistogram? latencies)
    {
        long sentAt = Stopwatch.GetTimestamp();
        await SendAsync();
        for (int i = 0; i < replies; i++)
        {
            if (await ReadReplyAsync() == Reply.Error)
            {
                Errors++;
            }

            latencies?.RecordValue((long)Stopwatch.GetElapsedTime(sentAt).TotalNanoseconds);
        }
    }
}
