using System.Buffers.Binary;

namespace Kiwi.Core.Transactions;

/// <content>SWAPDB: what it does to watched keys.</content>
internal sealed partial class WatchRegistry
{
    /// <summary>
    /// SWAPDB of the logical databases standing on physical ids <paramref name="first"/> and <paramref name="second"/>
    /// (before the swap), as Redis's <c>touchAllWatchedKeysInDb</c> both ways: a watched key of either that exists
    /// in either changes (one that had expired when watched and is in neither after the swap does not). A watch
    /// names a logical database in Redis, so each watched key of either moves to the other physical id: a later
    /// write to the same logical database still reaches it.
    /// </summary>
    public void Swapped(int first, int second)
    {
        if (first == second || _tokens.Count == 0)
        {
            return;
        }

        foreach (Watch watch in _tokens.Values)
        {
            foreach (WatchedKey watched in watch.Keys)
            {
                byte[] metaKey = watched.MetaKey;
                int db = BinaryPrimitives.ReadUInt16BigEndian(metaKey);
                if (db != first && db != second)
                {
                    continue;
                }

                int other = db == first ? second : first;
                if (!watch.Dirty)
                {
                    bool inOwn = Exists(metaKey);
                    bool inOther = ExistsIn(metaKey, other);
                    if (inOther || (inOwn && !watched.ExpiredAtWatch))
                    {
                        watch.Dirty = true;
                    }
                    else if (inOwn)
                    {
                        // The expired key it watched leaves the database: logically no change (Redis clears wk->expired).
                        watched.ExpiredAtWatch = false;
                    }
                }

                Rehome(watched, other);
                MarkChanged(watch);
            }
        }
    }

    private bool ExistsIn(byte[] metaKey, int db)
    {
        int was = BinaryPrimitives.ReadUInt16BigEndian(metaKey);
        BinaryPrimitives.WriteUInt16BigEndian(metaKey, (ushort)db);
        bool exists = Exists(metaKey);
        BinaryPrimitives.WriteUInt16BigEndian(metaKey, (ushort)was);
        return exists;
    }

    // Moves a watched key to physical database db, re-filed under its new hash.
    private void Rehome(WatchedKey watched, int db)
    {
        byte[] metaKey = watched.MetaKey;
        ulong hash = Hash(metaKey);
        if (_byHash.TryGetValue(hash, out List<WatchedKey>? list))
        {
            list.Remove(watched);
            if (list.Count == 0)
            {
                _byHash.Remove(hash);
            }
        }

        BinaryPrimitives.WriteUInt16BigEndian(metaKey, (ushort)db);
        hash = Hash(metaKey);
        if (!_byHash.TryGetValue(hash, out list))
        {
            _byHash.Add(hash, list = []);
        }

        list.Add(watched);
    }
}
