using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands;

/// <content>
/// SINTERSTORE, SUNIONSTORE, SDIFFSTORE: the result is written under a new version of the destination, which
/// the walks over the sources (the destination may be one of them) never see; the destination loses its time
/// to live, and an empty result deletes it.
/// </content>
internal static partial class SetWrites
{
    /// <summary>Flags = <see cref="SetOperation"/>; arguments: destination, then the source keys.</summary>
    public static void Store(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        byte[] destination = cmd.NextArg().ToArray();
        var sources = new BatchSets(ctx, cmd.Db, cmd.ArgCount - 1);
        for (int i = 0; i < sources.Count; i++)
        {
            if (!sources.Load(i, cmd.NextArg()))
            {
                reply.ReplyError(KiwiError.WrongType);
                return;
            }
        }

        bool existed = ctx.Events.Wants(KeyspaceEventClasses.Generic) && ctx.ExistsLive(cmd.Db, destination);
        var sink = new StoreSink(ctx, cmd.Db, destination, ctx.NewVersion());
        SetAlgebra.Run((SetOperation)cmd.Flags, ref sources, ref sink);
        ctx.PutCollection(cmd.Db, destination, KeyType.Set, 0, sink.Version, sink.Count, sink.Encoding);
        var op = (SetOperation)cmd.Flags;
        ctx.NoteStore(KeyspaceEventClasses.Set, op == SetOperation.Inter ? "sinterstore"u8 : op == SetOperation.Union ? "sunionstore"u8 : "sdiffstore"u8, cmd.Db, destination, sink.Count, existed);
        reply.ReplyInteger(sink.Count);
    }

    /// <summary>The sources as the writer's batch sees them.</summary>
    private struct BatchSets(ApplyContext ctx, int db, int count) : ISetSources
    {
        private readonly byte[][] _keys = new byte[count][];
        private readonly ulong[] _versions = new ulong[count];
        private readonly long[] _sizes = new long[count];

        public readonly int Count => _keys.Length;

        /// <summary>Reads source <paramref name="i"/>'s meta: false when it holds another type.</summary>
        public readonly bool Load(int i, ReadOnlySpan<byte> key)
        {
            _keys[i] = key.ToArray();
            KeyType type = ctx.Read(db, key);
            if (type == KeyType.None)
            {
                ctx.Events.Note(KeyspaceEventClasses.KeyMiss, "keymiss"u8, db, key);
                return true;
            }

            _versions[i] = ctx.CurrentVersion;
            _sizes[i] = ctx.CurrentCount;
            return type == KeyType.Set;
        }

        public readonly long Size(int i) => _sizes[i];

        public readonly MemberCursor Open(int i) => ctx.OpenMembers(KeySpace.Set, db, _keys[i], _versions[i]);

        public readonly bool Contains(int i, ReadOnlySpan<byte> member)
            => _sizes[i] > 0 && ctx.ContainsMember(KeySpace.Set, db, _keys[i], _versions[i], member);
    }

    /// <summary>Writes each result member under the destination's new version.</summary>
    private struct StoreSink(ApplyContext ctx, int db, byte[] destination, ulong version) : IMemberSink
    {
        public readonly ulong Version => version;

        public long Count { get; private set; }

        /// <summary>Redis builds the result as an intset and converts it as members come.</summary>
        public CollectionEncoding Encoding { get; private set; }

        public bool Add(ReadOnlySpan<byte> member)
        {
            Encoding = CollectionEncodings.Set(Encoding, Count + 1, member);
            // The member may point into the batch, which the put grows: copy it out first.
            ctx.Build.Set(member);
            ctx.PutMember(KeySpace.Set, db, destination, version, ctx.Build.WrittenSpan, default);
            Count++;
            return true;
        }
    }
}
