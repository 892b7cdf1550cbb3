using System.Buffers.Binary;
using System.Net;
using DotNext.Buffers;
using DotNext.Net;
using DotNext.Net.Cluster.Consensus.Raft.Membership;

namespace Kiwi.Core.Raft;

/// <summary>
/// The cluster's members, kept in a file beside the data (DotNext's persistent configuration storage): the list
/// configured at first start seeds it, and every membership change the cluster commits (RAFT.ADDNODE,
/// RAFT.REMOVENODE) rewrites it. A restarted node therefore comes back with the cluster's current members,
/// whatever its start-up flags say; the configured list only matters for a directory that has none yet.
/// </summary>
internal sealed class PersistedMembers : PersistentClusterConfigurationStorage<EndPoint>
{
    /// <summary>The file's name in the data directory.</summary>
    public const string FileName = "raft-members";

    private PersistedMembers(string file)
        : base(file)
    {
    }

    /// <summary>
    /// Opens the members file of <paramref name="dataPath"/>, seeding it with <paramref name="seed"/> when it does
    /// not exist yet and the node is not joining (a joining node gets its list from the leader that adds it).
    /// </summary>
    public static PersistedMembers Open(string dataPath, IEnumerable<IPEndPoint> seed, bool join)
    {
        string file = Path.Combine(dataPath, FileName);
        if (!join && !File.Exists(file))
        {
            WriteSeed(file, seed);
        }

        return new PersistedMembers(file);
    }

    /// <summary>The members stored in <paramref name="dataPath"/>, or null when none are stored yet.</summary>
    public static List<IPEndPoint>? Read(string dataPath)
    {
        string file = Path.Combine(dataPath, FileName);
        if (!File.Exists(file))
        {
            return null;
        }

        byte[] bytes = File.ReadAllBytes(file);
        var reader = new SequenceReader(new System.Buffers.ReadOnlySequence<byte>(bytes.AsMemory(sizeof(long))));
        int count = reader.ReadLittleEndian<int>();
        var members = new List<IPEndPoint>(count);
        for (int i = 0; i < count; i++)
        {
            if (EndPointFormatter.ReadEndPoint(ref reader) is IPEndPoint member)
            {
                members.Add(member);
            }
        }

        return members;
    }

    // The storage's own layout: version:i64 | count:i32 | endpoint{count}. Version 0 is the seed: every
    // configuration the cluster commits carries a higher one and replaces it.
    private static void WriteSeed(string file, IEnumerable<IPEndPoint> seed)
    {
        var writer = new BufferWriterSlim<byte>(256);
        try
        {
            var members = new HashSet<IPEndPoint>(seed);
            BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(sizeof(long)), 0L);
            writer.Advance(sizeof(long));
            BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(sizeof(int)), members.Count);
            writer.Advance(sizeof(int));
            foreach (IPEndPoint member in members)
            {
                EndPointFormatter.WriteEndPoint(ref writer, member);
            }

            string temporary = file + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(writer.WrittenSpan);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, file, overwrite: true);
        }
        finally
        {
            writer.Dispose();
        }
    }

    protected override void Encode(EndPoint address, ref BufferWriterSlim<byte> output) => EndPointFormatter.WriteEndPoint(ref output, address);

    protected override EndPoint Decode(ref SequenceReader reader) => EndPointFormatter.ReadEndPoint(ref reader);
}
