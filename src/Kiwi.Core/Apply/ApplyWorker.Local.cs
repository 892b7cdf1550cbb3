using Kiwi.Core.Storage;

namespace Kiwi.Core.Apply;

// Local requests the writer runs between two batches: checkpoints (Raft snapshots) and snapshot installs.
internal sealed partial class ApplyWorker
{
    // Keys copied per storage write while installing a snapshot.
    private const int InstallChunk = 4096;

    private static ReadOnlySpan<byte> InstallingKey => "installing"u8;

    /// <summary>
    /// Runs a local request (<see cref="EntryKind.Checkpoint"/> or <see cref="EntryKind.Install"/>) on
    /// <paramref name="directory"/> on the writer; returns the fully applied index and term it reports.
    /// </summary>
    internal async Task<(long Index, long Term)> RunLocalAsync(EntryKind kind, string directory)
    {
        ApplyRequest request = ApplyRequestPool.Rent();
        request.Kind = kind;
        request.Payload.Set(System.Text.Encoding.UTF8.GetBytes(directory));
        if (!Publish(request))
        {
            ApplyRequestPool.Return(request);
            throw new ObjectDisposedException(nameof(ApplyWorker));
        }

        ApplyPublished(inline: false);
        await request.WaitAsync().ConfigureAwait(false);
        try
        {
            return request.Reply == ReplyKind.Integer ? (request.Integer, request.Term) : throw request.ToException();
        }
        finally
        {
            ApplyRequestPool.Return(request);
        }
    }

    /// <summary>The snapshot directory an interrupted install was loading, or null (read at start).</summary>
    internal static string? InterruptedInstall(IStorageEngine engine)
    {
        using var buffer = new Kiwi.Native.Memory.ByteBuffer();
        return engine.TryGet(KeySpace.Raft, InstallingKey, buffer) ? System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan) : null;
    }

    // Replaces the whole data set with a snapshot's. A marker naming the directory is committed first and
    // removed with the last write, so a crash half way is finished at the next start (KiwiRaftNode), never
    // left as a mix of old and new keys.
    private void Install(Span<ApplyRequest> single)
    {
        ApplyRequest request = single[0];
        string directory = System.Text.Encoding.UTF8.GetString(request.Payload.WrittenSpan);
        try
        {
            using RocksEngine source = RocksEngine.Open(directory, blockCacheBytes: 8L * 1024 * 1024);
            AppliedState.Position position = AppliedState.Read(source);
            _context.ZSetEdges.Clear();

            _writes.Clear();
            _writes.Put(KeySpace.Raft, InstallingKey, request.Payload.WrittenSpan);
            _engine.Commit(_writes, sync: true);

            _writes.Clear();
            Span<byte> end = stackalloc byte[8];
            end.Fill(0xFF);
            for (var space = KeySpace.Meta; space <= KeySpace.Expire; space++)
            {
                _writes.DeleteRange(space, default, end);
            }

            WriteDedup.DeleteAll(_writes);
            Transactions.WatchRegistry.DeleteAll(_writes);

            _engine.Commit(_writes, sync: false);
            _writes.Clear();
            int pending = 0;
            for (var space = KeySpace.Meta; space <= KeySpace.Expire; space++)
            {
                using IStorageCursor cursor = source.OpenCursor(space);
                for (cursor.Seek(default); cursor.Valid; cursor.Next())
                {
                    _writes.Put(space, cursor.Key, cursor.Value);
                    if (++pending == InstallChunk)
                    {
                        _engine.Commit(_writes, sync: false);
                        _writes.Clear();
                        pending = 0;
                    }
                }
            }

            // The snapshot's write ids come with its data: retries of writes it holds are not applied again.
            WriteDedup.CopyAll(source, _writes);
            Transactions.WatchRegistry.CopyAll(source, _writes);
            DatabaseMap.CopyFrom(source, _writes);
            DatabaseCounts.CopyFrom(source, _writes);
            AppliedState.Write(_writes, position);
            _writes.Delete(KeySpace.Raft, InstallingKey);
            _engine.Commit(_writes, sync: true);
            _dedup.Load(_engine);
            _context.Watches.Load(_engine);
            Databases.Load(_engine);
            Counts.Load(_engine);
            _context.ForgetKnownKey();
            _appliedSub = position.Sub;
            _appliedSubCount = position.SubCount;
            Volatile.Write(ref _appliedTerm, position.Term);
            Volatile.Write(ref _appliedIndex, position.Index);
            Volatile.Write(ref _fullyAppliedIndex, position.FullyApplied);
            request.Term = position.Term;
            request.ReplyInteger(position.FullyApplied);
        }
        catch (Exception ex) when (ex is Kiwi.Native.Rocks.StorageException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            request.Fail(ex.Message);
        }

        CompletionChunk.CompleteAll(single);
        if (Volatile.Read(ref _waiterCount) != 0)
        {
            ReleaseWaiters();
        }

        // Any key may have got data from the snapshot: every blocked client looks again.
        Blocking.WakeAll();
    }
}
