using System.IO.Pipelines;

namespace Kiwi.Resp;

/// <content>Flushing replies, and cutting off a client that does not read them (client-output-buffer-limit).</content>
internal sealed partial class ClientSession
{
    // A completed flush result: the session loop ends, as when the client has gone.
    private static readonly FlushResult s_cutOff = new(isCanceled: false, isCompleted: true);

    /// <summary>
    /// Flushes the replies written so far. It completes at once unless the client's buffer is full (it is not
    /// reading); then the output limit decides how long the session waits for it.
    /// </summary>
    private ValueTask<FlushResult> FlushAsync(PipeWriter output, CancellationToken token)
    {
        if (_outbox is not null)
        {
            return FlushWithPushesAsync(output, token);
        }

        return FlushRepliesAsync(output, token);
    }

    // A subscriber: its waiting messages go with the replies, and once the client took them they no longer count
    // against its pub/sub limit.
    private async ValueTask<FlushResult> FlushWithPushesAsync(PipeWriter output, CancellationToken token)
    {
        WritePushes(output);
        FlushResult result = await FlushRepliesAsync(output, token).ConfigureAwait(false);
        PushesFlushed();
        return result;
    }

    private ValueTask<FlushResult> FlushRepliesAsync(PipeWriter output, CancellationToken token)
    {
        long pending = output.CanGetUnflushedBytes ? output.UnflushedBytes : 0;
        ValueTask<FlushResult> flush = output.FlushAsync(token);
        if (flush.IsCompleted)
        {
            return flush;
        }

        OutputLimit limit = Server.Settings.ClientOutputBufferLimit;
        return limit.Any ? FlushWithinLimitAsync(flush, pending, limit, token) : flush;
    }

    private async ValueTask<FlushResult> FlushWithinLimitAsync(ValueTask<FlushResult> flush, long pending, OutputLimit limit, CancellationToken token)
    {
        if (limit.HardBytes > 0 && pending >= limit.HardBytes)
        {
            return CutOff();
        }

        if (limit.SoftSeconds <= 0)
        {
            return await flush.ConfigureAwait(false);
        }

        try
        {
            return await flush.AsTask().WaitAsync(TimeSpan.FromSeconds(limit.SoftSeconds), token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return CutOff();
        }
    }

    private FlushResult CutOff()
    {
        Interlocked.Increment(ref Server.OutputLimitDisconnections);
        CloseRequested = true;
        return s_cutOff;
    }
}
