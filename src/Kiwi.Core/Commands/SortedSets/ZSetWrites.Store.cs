using Kiwi.Core.PubSub;
using Kiwi.Core.Apply;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Commands.SortedSets;

/// <content>
/// ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and ZRANGESTORE: the result is written under a new version of the
/// destination, which the walks over the sources (the destination may be one of them) never see; the destination
/// loses its time to live, and an empty result deletes it.
/// </content>
internal static partial class ZSetWrites
{
    /// <summary>Flags = <see cref="ZStoreFlags"/>, N1 = number of keys; arguments: destination, keys, weights.</summary>
    public static void Store(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> destination = cmd.NextArg();
        int n = (int)cmd.N1;
        var keys = new byte[n][];
        var versions = new ulong[n];
        var sizes = new long[n];
        var zsets = new bool[n];
        var present = new bool[n];
        bool wrongType = false;
        for (int i = 0; i < n; i++)
        {
            keys[i] = cmd.NextArg().ToArray();
            KeyType type = ctx.Read(cmd.Db, keys[i]);
            if (type == KeyType.None && !wrongType)
            {
                // Redis looks the sources up one by one and stops at the first of another type.
                ctx.Events.Note(KeyspaceEventClasses.KeyMiss, "keymiss"u8, cmd.Db, keys[i]);
            }

            present[i] = type != KeyType.None;
            wrongType |= type is not (KeyType.None or KeyType.ZSet or KeyType.Set);
            zsets[i] = type == KeyType.ZSet;
            versions[i] = ctx.CurrentVersion;
            sizes[i] = ctx.CurrentCount;
        }

        if (wrongType)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        int error = ZStoreFlags.Error(cmd.Flags);
        if (error != 0)
        {
            reply.Writer.WriteError(error == ZStoreFlags.SyntaxError ? "ERR syntax error"u8 : "ERR weight value is not a float"u8);
            return;
        }

        Span<double> weights = cmd.ArgCount > 1 + n ? new double[n] : default;
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = ZSetKeys.ReadScoreValue(cmd.NextArg());
        }

        // Redis builds the whole result as a skiplist and converts it to a listpack if it fits, so the result's
        // final encoding decides how a -0 is kept: gather it first, then write it.
        var sources = new MemberCursor?[n];
        using var result = new ZEntryList();
        try
        {
            for (int i = 0; i < n; i++)
            {
                sources[i] = present[i] ? ctx.OpenMembers(zsets[i] ? KeySpace.ZSet : KeySpace.Set, cmd.Db, keys[i], versions[i]) : null;
            }

            var gather = new ListSink(result);
            ZSetAlgebra.Run(ZStoreFlags.Operation(cmd.Flags), ZStoreFlags.Aggregate(cmd.Flags), sources, zsets, sizes, weights, ref gather);
        }
        finally
        {
            foreach (MemberCursor? source in sources)
            {
                source?.Dispose();
            }
        }

        CollectionEncoding encoding = CollectionEncoding.Compact;
        for (int i = 0; i < result.Count; i++)
        {
            encoding = ZSetStore.Encoding(encoding, i + 1, result.Member(i).Length);
        }

        var sink = new StoreSink(ctx, cmd.Db, destination, ctx.NewVersion(), encoding);
        try
        {
            for (int i = 0; i < result.Count; i++)
            {
                sink.Add(result.Member(i), result.Score(i));
            }
        }
        finally
        {
            sink.Dispose();
        }

        SetOperation op = ZStoreFlags.Operation(cmd.Flags);
        sink.Finish(reply, op == SetOperation.Union ? "zunionstore"u8 : op == SetOperation.Inter ? "zinterstore"u8 : "zdiffstore"u8);
    }

    /// <summary>ZRANGESTORE destination source min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] (checked at proposal).</summary>
    public static void RangeStore(ApplyContext ctx, ref CommandView cmd, ApplyRequest reply)
    {
        ReadOnlySpan<byte> destination = cmd.NextArg();
        ReadOnlySpan<byte> source = cmd.NextArg();
        ReadOnlySpan<byte> min = cmd.NextArg();
        ReadOnlySpan<byte> max = cmd.NextArg();
        KeyType type = ctx.Read(cmd.Db, source);
        if (type != KeyType.None && type != KeyType.ZSet)
        {
            reply.ReplyError(KiwiError.WrongType);
            return;
        }

        if (type == KeyType.None)
        {
            ctx.Events.Note(KeyspaceEventClasses.KeyMiss, "keymiss"u8, cmd.Db, source);
        }

        ulong version = ctx.CurrentVersion;
        long size = ctx.CurrentCount;
        var sink = new StoreSink(ctx, cmd.Db, destination, ctx.NewVersion(), CollectionEncoding.Compact);
        try
        {
            if (type == KeyType.ZSet)
            {
                var view = new BatchZSet(ctx, cmd.Db, source, version);
                bool reverse = (cmd.Flags & (byte)ZRangeStoreFlags.Reverse) != 0;
                switch ((ZRangeKind)(cmd.Flags & 3))
                {
                    case ZRangeKind.Rank:
                        RedisNumbers.TryParseInt64(min, out long start);
                        RedisNumbers.TryParseInt64(max, out long end);
                        if (TryRanks(start, end, size, out long first, out long last))
                        {
                            ZSetWalk.ByRank(ref view, first, last, reverse, size, ref sink);
                        }

                        break;
                    case ZRangeKind.Score:
                        ZScoreRange.TryParse(reverse ? max : min, reverse ? min : max, out ZScoreRange scores);
                        ZSetWalk.ByScore(ref view, scores, reverse, cmd.N1, cmd.N2, ref sink);
                        break;
                    default:
                        ZLexRange.TryParse(reverse ? max : min, reverse ? min : max, out ZLexRange lex);
                        ZSetWalk.ByLex(ref view, lex, reverse, cmd.N1, cmd.N2, ref sink);
                        break;
                }
            }
        }
        finally
        {
            sink.Dispose();
        }

        sink.Finish(reply, "zrangestore"u8);
    }

    /// <summary>
    /// Writes each result pair under the destination's new version, its encoding starting at
    /// <paramref name="encoding"/> (ZRANGESTORE's result is a listpack converted as it grows, as in Redis).
    /// </summary>
    private ref struct StoreSink(ApplyContext ctx, int db, ReadOnlySpan<byte> destination, ulong version, CollectionEncoding encoding) : IZSink
    {
        private readonly ReadOnlySpan<byte> _destination = destination;
        private readonly ByteBuffer _copy = new();
        private long _count;
        private CollectionEncoding _encoding = encoding;

        public bool Add(ReadOnlySpan<byte> member, double score)
        {
            // The member may point into the batch, which the puts grow: copy it out first.
            _copy.Set(member);
            _count++;
            _encoding = ZSetStore.Encoding(_encoding, _count, member.Length);
            ZSetStore.Put(ctx, db, _destination, version, _copy.WrittenSpan, score, _encoding);
            return true;
        }

        public readonly void Dispose() => _copy.Dispose();

        /// <summary>Writes the destination's meta record (or deletes it when the result is empty) and replies the count.</summary>
        public readonly void Finish(ApplyRequest reply, ReadOnlySpan<byte> eventName)
        {
            if (_count == 0 && ctx.Read(db, _destination) == KeyType.None)
            {
                reply.ReplyInteger(0);
                return;
            }

            ctx.PutCollection(db, _destination, KeyType.ZSet, 0, version, _count, _encoding);
            ctx.NoteStore(KeyspaceEventClasses.SortedSet, eventName, db, _destination, _count, existed: true);
            reply.ReplyInteger(_count);
        }
    }
}
