using System.Buffers.Binary;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Transactions;

/// <summary>
/// The keys clients WATCH, by token, and whether each token's keys changed since: what EXEC checks. Owned by the
/// writer and changed only by applied entries (WATCH and UNWATCH are entries, a change is a write the writer
/// applies), so every replica decides an EXEC the same way; persisted in the same storage write as the data and
/// the applied index (see <see cref="WatchRegistry"/>'s persist part), so restarts and snapshots carry it.
/// <para>
/// As Redis's <c>signalModifiedKey</c>: a key is changed when the writer writes one of its records (its meta
/// record or a member), which commands do only when they change something; deleting a key that had already
/// expired when it was watched is no change (Redis's <c>wk-&gt;expired</c>); FLUSHDB/FLUSHALL changes every watched
/// key that exists in what it empties. While nothing is watched, the batch has no observer and writes cost nothing
/// more.
/// </para>
/// </summary>
internal sealed partial class WatchRegistry : WriteSet.IWriteObserver, IDisposable
{
    /// <summary>A token not watched again for this long (by entry clocks) is dropped: its client is gone.</summary>
    public const long MaxIdleMs = 60 * 60 * 1000;

    private readonly Dictionary<long, Watch> _tokens = [];
    private readonly Dictionary<ulong, List<WatchedKey>> _byHash = [];
    private readonly List<Watch> _changed = [];
    private readonly List<long> _sweep = [];
    private readonly ByteBuffer _scratch = new();
    private readonly ByteBuffer _probe = new();
    private readonly IStorageEngine _engine;
    private readonly WriteSet _writes;

    /// <summary>Creates an empty registry for the writer's <paramref name="writes"/> over <paramref name="engine"/>.</summary>
    public WatchRegistry(IStorageEngine engine, WriteSet writes)
    {
        _engine = engine;
        _writes = writes;
    }

    /// <summary>Returns the scratch buffers.</summary>
    public void Dispose()
    {
        _scratch.Dispose();
        _probe.Dispose();
    }

    /// <summary>Tokens registered.</summary>
    public int Count => _tokens.Count;

    /// <summary>Adds (<paramref name="db"/>, <paramref name="key"/>) to <paramref name="token"/>'s keys, watched at <paramref name="nowMs"/>.</summary>
    public void Add(long token, int db, ReadOnlySpan<byte> key, bool expiredAtWatch, long nowMs)
    {
        if (!_tokens.TryGetValue(token, out Watch? watch))
        {
            watch = new Watch(token);
            _tokens.Add(token, watch);
        }

        watch.WatchedAtMs = nowMs;
        MarkChanged(watch);
        byte[] metaKey = KeyCodec.Meta(_scratch, db, key).ToArray();
        foreach (WatchedKey existing in watch.Keys)
        {
            if (existing.MetaKey.AsSpan().SequenceEqual(metaKey))
            {
                return;
            }
        }

        var watched = new WatchedKey(watch, metaKey) { ExpiredAtWatch = expiredAtWatch };
        watch.Keys.Add(watched);
        ulong hash = Hash(metaKey);
        if (!_byHash.TryGetValue(hash, out List<WatchedKey>? list))
        {
            _byHash.Add(hash, list = []);
        }

        list.Add(watched);
        _writes.Observer = this;
    }

    /// <summary>Drops the tokens last watched more than <see cref="MaxIdleMs"/> before <paramref name="nowMs"/>.</summary>
    public void Sweep(long nowMs)
    {
        _sweep.Clear();
        foreach (Watch watch in _tokens.Values)
        {
            if (watch.WatchedAtMs < nowMs - MaxIdleMs)
            {
                _sweep.Add(watch.Token);
            }
        }

        foreach (long token in _sweep)
        {
            Drop(token);
        }
    }

    /// <summary>
    /// Whether EXEC under <paramref name="token"/> may run: the token is known and none of its keys changed (the
    /// caller checks expiry, see <see cref="KeysOf"/>). An unknown token (swept, or its WATCH never applied) may not.
    /// </summary>
    public bool IsClean(long token) => _tokens.TryGetValue(token, out Watch? watch) && !watch.Dirty;

    /// <summary>The watched keys of <paramref name="token"/> (meta keys) with whether each had expired when watched.</summary>
    public IReadOnlyList<WatchedKey> KeysOf(long token) => _tokens.TryGetValue(token, out Watch? watch) ? watch.Keys : [];

    /// <summary>Forgets <paramref name="token"/> (EXEC, DISCARD, UNWATCH, a client gone).</summary>
    public void Drop(long token)
    {
        if (!_tokens.Remove(token, out Watch? watch))
        {
            return;
        }

        watch.Removed = true;
        MarkChanged(watch);
        foreach (WatchedKey key in watch.Keys)
        {
            ulong hash = Hash(key.MetaKey);
            if (_byHash.TryGetValue(hash, out List<WatchedKey>? list))
            {
                list.Remove(key);
                if (list.Count == 0)
                {
                    _byHash.Remove(hash);
                }
            }
        }

        if (_tokens.Count == 0)
        {
            _writes.Observer = null;
        }
    }

    /// <inheritdoc />
    void WriteSet.IWriteObserver.OnWrite(KeySpace space, WriteSet.OpKind kind, ReadOnlySpan<byte> key, ReadOnlySpan<byte> end)
    {
        if (kind == WriteSet.OpKind.DeleteRange)
        {
            if (space == KeySpace.Meta)
            {
                Flushed(key, end);
            }

            return;
        }

        ReadOnlySpan<byte> metaKey = key;
        if (space != KeySpace.Meta)
        {
            int group = KeyCodec.GroupLength(key);
            if (group == 0)
            {
                return;
            }

            KeyCodec.ReadGroup(key[..group], out int db, out ReadOnlySpan<byte> userKey, out _);
            metaKey = KeyCodec.Meta(_scratch, db, userKey);
        }

        if (!_byHash.TryGetValue(Hash(metaKey), out List<WatchedKey>? list))
        {
            return;
        }

        if (space == KeySpace.Meta && kind == WriteSet.OpKind.Delete && !Exists(metaKey))
        {
            // Deleting a key that is not there (SUNIONSTORE of nothing, DEL of a missing key) changes nothing.
            return;
        }

        foreach (WatchedKey watched in list)
        {
            if (watched.Owner.Dirty || !watched.MetaKey.AsSpan().SequenceEqual(metaKey))
            {
                continue;
            }

            if (watched.ExpiredAtWatch && space == KeySpace.Meta && kind == WriteSet.OpKind.Delete)
            {
                // The expired key it watched is deleted: logically no change (Redis clears wk->expired).
                watched.ExpiredAtWatch = false;
            }
            else
            {
                watched.Owner.Dirty = true;
            }

            MarkChanged(watched.Owner);
        }
    }

    // FLUSHDB/FLUSHALL: every watched key in the range that exists (expired or not, as Redis's dictFind) changes.
    private void Flushed(ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end)
    {
        foreach (Watch watch in _tokens.Values)
        {
            if (watch.Dirty)
            {
                continue;
            }

            foreach (WatchedKey watched in watch.Keys)
            {
                ReadOnlySpan<byte> metaKey = watched.MetaKey;
                if (metaKey.SequenceCompareTo(begin) >= 0 && metaKey.SequenceCompareTo(end) < 0 && Exists(metaKey))
                {
                    watch.Dirty = true;
                    MarkChanged(watch);
                    break;
                }
            }
        }
    }

    private bool Exists(ReadOnlySpan<byte> metaKey) => _writes.Find(KeySpace.Meta, metaKey, out _) switch
    {
        WriteSet.Lookup.Put => true,
        WriteSet.Lookup.Deleted => false,
        _ => _engine.TryGet(KeySpace.Meta, metaKey, _probe),
    };

    private void MarkChanged(Watch watch)
    {
        if (!watch.Changed)
        {
            watch.Changed = true;
            _changed.Add(watch);
        }
    }

    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        ulong h = 14695981039346656037;
        foreach (byte b in bytes)
        {
            h = (h ^ b) * 1099511628211;
        }

        return h;
    }

    /// <summary>One token's state.</summary>
    internal sealed class Watch(long token)
    {
        /// <summary>The token.</summary>
        public long Token { get; } = token;

        /// <summary>The clock of the last WATCH entry of it.</summary>
        public long WatchedAtMs { get; set; }

        /// <summary>A watched key changed: EXEC must not run.</summary>
        public bool Dirty { get; set; }

        /// <summary>Changed since the last persist.</summary>
        public bool Changed { get; set; }

        /// <summary>Dropped: its record is deleted at the next persist.</summary>
        public bool Removed { get; set; }

        /// <summary>Its keys.</summary>
        public List<WatchedKey> Keys { get; } = [];
    }

    /// <summary>One watched key of a token.</summary>
    internal sealed class WatchedKey
    {
        internal WatchedKey(Watch owner, byte[] metaKey)
        {
            Owner = owner;
            MetaKey = metaKey;
        }

        /// <summary>The key's meta key (<c>db | key</c>).</summary>
        public byte[] MetaKey { get; }

        /// <summary>True when the key existed but had expired when it was watched.</summary>
        public bool ExpiredAtWatch { get; set; }

        internal Watch Owner { get; }
    }
}
