using System.Net;
using System.Text;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Raft;

/// <summary>
/// Which cluster a data directory belongs to, stored in the <see cref="KeySpace.Raft"/> space (key "cluster":
/// the sorted member list it was first started with). Raft log indexes and standalone indexes must never mix:
/// the applied position decides which log entries are skipped on replay, so a directory written standalone,
/// or by another cluster, is refused instead of silently skipping or re-applying entries.
/// </summary>
internal static class ClusterIdentity
{
    private static ReadOnlySpan<byte> Key => "cluster"u8;

    /// <summary>The identity text of a member list (order-independent).</summary>
    public static string Of(IEnumerable<IPEndPoint> members)
    {
        var names = new List<string>();
        foreach (IPEndPoint member in members)
        {
            names.Add(member.ToString());
        }

        names.Sort(StringComparer.Ordinal);
        return string.Join(',', names);
    }

    /// <summary>The stored identity, or null for a directory never started in cluster mode.</summary>
    public static string? Read(IStorageEngine engine)
    {
        using var buffer = new ByteBuffer();
        return engine.TryGet(KeySpace.Raft, Key, buffer) ? Encoding.UTF8.GetString(buffer.WrittenSpan) : null;
    }

    /// <summary>
    /// Checks that the directory may join the cluster of <paramref name="members"/> and records the identity on
    /// first start. Throws <see cref="KiwiException"/> with the reason otherwise.
    /// </summary>
    public static void Claim(IStorageEngine engine, IEnumerable<IPEndPoint> members, string path)
    {
        string wanted = Of(members);
        string? stored = Read(engine);
        if (stored is null)
        {
            if (AppliedState.Read(engine).Index > 0)
            {
                throw new KiwiException($"ERR {path} holds data written by a standalone server: cluster mode needs an empty data directory (or one of this cluster's)");
            }

            using var writes = new WriteSet();
            writes.Put(KeySpace.Raft, Key, Encoding.UTF8.GetBytes(wanted));
            engine.Commit(writes, sync: true);
            return;
        }

        // Membership changes (RAFT.ADDNODE/REMOVENODE), so the configured list may differ from the first one;
        // a list with no member in common is another cluster.
        var known = new HashSet<string>(stored.Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        foreach (string member in wanted.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (known.Contains(member))
            {
                return;
            }
        }

        throw new KiwiException($"ERR {path} belongs to another cluster (members {stored}), not to {wanted}: refusing to start");
    }

    /// <summary>Throws when a standalone open finds a cluster's data directory.</summary>
    public static void RefuseStandalone(IStorageEngine engine, string path)
    {
        string? stored = Read(engine);
        if (stored is not null)
        {
            throw new KiwiException($"ERR {path} belongs to a Raft cluster (members {stored}): start it with the same raft-members, not standalone");
        }
    }
}
