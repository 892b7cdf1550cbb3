using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

// Local cleanup of dead collection members (see Storage.CollectionCleanup): the writer is the one place where
// "no meta record names this version" cannot change between the check and the delete.
internal sealed partial class ApplyWorker
{
    private readonly ByteBuffer _groupEnd = new();

    /// <summary>
    /// Has the writer delete the member groups in <paramref name="groups"/>: a sequence of
    /// <c>space:u8 | db | len(key) | key | version</c> (a group prefix, see <see cref="KeyCodec.GroupLength"/>).
    /// A group whose key's committed meta record names its version is kept. Not logged, no index; returns how
    /// many groups were deleted.
    /// </summary>
    internal async Task<long> RunCleanupAsync(ReadOnlyMemory<byte> groups)
    {
        ApplyRequest request = ApplyRequestPool.Rent();
        request.Kind = EntryKind.Cleanup;
        request.Payload.Set(groups.Span);
        if (!Publish(request))
        {
            ApplyRequestPool.Return(request);
            throw new ObjectDisposedException(nameof(ApplyWorker));
        }

        ApplyPublished(inline: false);
        await request.WaitAsync().ConfigureAwait(false);
        try
        {
            return request.Reply == ReplyKind.Integer ? request.Integer : throw request.ToException();
        }
        finally
        {
            ApplyRequestPool.Return(request);
        }
    }

    // One storage write of range deletes, without the applied position: a replica decides for itself when its
    // dead members go, and a crash before the write only leaves them for the next pass.
    private void Cleanup(Span<ApplyRequest> single)
    {
        ApplyRequest request = single[0];
        _writes.Clear();
        long deleted = 0;
        ReadOnlySpan<byte> payload = request.Payload.WrittenSpan;
        while (payload.Length > 1)
        {
            var space = (KeySpace)payload[0];
            int length = KeyCodec.GroupLength(payload[1..]);
            if (length == 0 || space is < KeySpace.Hash or > KeySpace.List)
            {
                break;
            }

            ReadOnlySpan<byte> group = payload.Slice(1, length);
            payload = payload[(1 + length)..];
            if (IsLiveGroup(group))
            {
                continue;
            }

            _groupEnd.Clear();
            Span<byte> end = _groupEnd.GetSpan(length)[..length];
            KeyCodec.GroupEnd(group, end);
            _groupEnd.Advance(length);
            _writes.DeleteRange(space, group, _groupEnd.WrittenSpan, retired: true);
            deleted++;
        }

        try
        {
            if (deleted > 0)
            {
                _engine.Commit(_writes, sync: false);
            }

            request.ReplyInteger(deleted);
        }
        catch (Kiwi.Native.Rocks.StorageException ex)
        {
            request.Fail(ex.Message);
        }

        _writes.Clear();
        CompletionChunk.CompleteAll(single);
    }

    // The re-check: the key's committed meta record (nothing of a batch is pending here) still names the version.
    private bool IsLiveGroup(ReadOnlySpan<byte> group)
    {
        KeyCodec.ReadGroup(group, out int db, out ReadOnlySpan<byte> key, out ulong version);
        return _context.ReadRaw(db, key) != KeyType.None && MetaValue.IsCollection(_context.Current.WrittenSpan)
            && _context.CurrentVersion == version;
    }
}
