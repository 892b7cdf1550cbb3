using System.Diagnostics;
using Kiwi.Core.Commands;
using Kiwi.Core.Metrics;
using Kiwi.Core.Storage;
using Kiwi.Native.Ring;

namespace Kiwi.Core.Apply;

/// <content>Write ids (cluster mode): an entry whose id was applied before is answered, not applied again.</content>
internal sealed partial class ApplyWorker
{
    /// <summary>
    /// The reply to an attempt of a write whose id was applied before (not applied again). Its reply went to the
    /// attempt that applied it; the write's origin completes its client from its own apply of that attempt.
    /// </summary>
    public static ReadOnlySpan<byte> DuplicateReply => "-DUPLICATE this write was applied by an earlier attempt; not applied again\r\n"u8;

    /// <summary>The reply to an attempt whose id is below its origin's window (see <see cref="WriteDedup"/>): not applied.</summary>
    public static ReadOnlySpan<byte> TooOldReply => "-TRYAGAIN the write was retried too late to tell whether it was applied; this attempt was not applied\r\n"u8;

    /// <summary>Entries not applied because their write id was applied before (or is too old to tell) since start.</summary>
    public long DuplicatesSkipped => Volatile.Read(ref _duplicatesSkipped);

    /// <summary>Origins whose write ids are remembered (writer thread; for tests and INFO).</summary>
    internal int DedupOrigins => _dedup.Count;

    private void ReloadDedup()
    {
        try
        {
            _dedup.Load(_engine);
            _context.Watches.Load(_engine);
        }
        catch (Exception ex) when (ex is Kiwi.Native.Rocks.StorageException or InvalidDataException or IOException)
        {
            // Storage cannot be read either. This node already lags its log after a failed batch; a restart replays
            // the log and reloads the ids from what storage holds.
        }
    }

    // A write with an id (cluster mode): applied only the first time its id is seen, the same on every member.
    private int ExecuteOnce(ApplyRequest request)
    {
        switch (_dedup.Admit(request.WriteOrigin, request.WriteSeq, request.Index))
        {
            case WriteDedup.Verdict.Apply:
                return CommandExecutor.Execute(_context, request);
            case WriteDedup.Verdict.Duplicate:
                Interlocked.Increment(ref _duplicatesSkipped);
                request.ReplyBuffer.Write(DuplicateReply);
                return 0;
            default:
                Interlocked.Increment(ref _duplicatesSkipped);
                request.ReplyBuffer.Write(TooOldReply);
                return 0;
        }
    }
}
