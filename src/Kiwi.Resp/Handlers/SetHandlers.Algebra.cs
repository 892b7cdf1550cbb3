using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <content>SINTER, SUNION, SDIFF and SINTERCARD over committed state (see <see cref="SetAlgebra"/>).</content>
internal static partial class SetHandlers
{
    private static void Combine(ref CommandContext ctx, SetOperation op)
    {
        if (!TryLoad(ref ctx, 1, ctx.Count - 1, out CommittedSets sets))
        {
            return;
        }

        ByteBuffer body = t_reply ??= new ByteBuffer();
        body.Clear();
        var sink = new ReplySink(new RespWriter(body, ctx.Writer.Version));
        SetAlgebra.Run(op, ref sets, ref sink);
        ctx.Writer.WriteSetHeader(sink.Count);
        ctx.Writer.WriteRaw(body.WrittenSpan);
        body.Clear();
    }

    /// <summary>SINTERCARD numkeys key [key ...] [LIMIT limit], with Redis's order of checks.</summary>
    private static void InterCard(ref CommandContext ctx)
    {
        if (!ArgParser.TryInt64(ctx[1], out long keys) || keys < 1)
        {
            ctx.Error("ERR numkeys should be greater than 0"u8);
            return;
        }

        if (keys > ctx.Count - 2)
        {
            ctx.Error("ERR Number of keys can't be greater than number of args"u8);
            return;
        }

        long limit = 0;
        for (int i = 2 + (int)keys; i < ctx.Count; i++)
        {
            if (!ArgParser.Is(ctx[i], "LIMIT"u8) || i + 1 >= ctx.Count)
            {
                ctx.SyntaxError();
                return;
            }

            if (!ArgParser.TryInt64(ctx[++i], out limit) || limit < 0)
            {
                ctx.Error("ERR LIMIT can't be negative"u8);
                return;
            }
        }

        if (!TryLoad(ref ctx, 2, (int)keys, out CommittedSets sets))
        {
            return;
        }

        var sink = new CountSink(limit);
        SetAlgebra.Run(SetOperation.Inter, ref sets, ref sink);
        ctx.Writer.WriteInteger(sink.Count);
    }

    /// <summary>Looks up <paramref name="count"/> keys from <paramref name="first"/>: false (WRONGTYPE replied) when one is not a set.</summary>
    private static bool TryLoad(ref CommandContext ctx, int first, int count, out CommittedSets sets)
    {
        sets = new CommittedSets(ctx.View, ctx.ReadDb, count);
        long now = ctx.NowMs;
        for (int i = 0; i < count; i++)
        {
            if (!sets.Load(i, ctx[first + i], now))
            {
                ctx.Writer.WriteError(KiwiError.WrongType);
                return false;
            }
        }

        return true;
    }

    private readonly struct CommittedSets(StorageSnapshot engine, int db, int count) : ISetSources
    {
        private readonly byte[][] _keys = new byte[count][];
        private readonly ulong[] _versions = new ulong[count];
        private readonly long[] _sizes = new long[count];

        public int Count => _keys.Length;

        public bool Load(int i, ReadOnlySpan<byte> key, long nowMs)
        {
            _keys[i] = key.ToArray();
            KeyType type = CollectionReads.Lookup(engine, db, key, nowMs, out _versions[i], out _sizes[i]);
            if (type != KeyType.Set)
            {
                _sizes[i] = 0;
            }

            return type is KeyType.None or KeyType.Set;
        }

        public long Size(int i) => _sizes[i];

        public MemberCursor Open(int i) => CollectionReads.OpenMembers(engine, KeySpace.Set, db, _keys[i], _versions[i]);

        public bool Contains(int i, ReadOnlySpan<byte> member)
            => _sizes[i] > 0 && CollectionReads.TryGetMember(engine, KeySpace.Set, db, _keys[i], _versions[i], member, out _);
    }

    private struct ReplySink(RespWriter writer) : IMemberSink
    {
        public int Count { get; private set; }

        public bool Add(ReadOnlySpan<byte> member)
        {
            writer.WriteBulk(member);
            Count++;
            return true;
        }
    }

    private struct CountSink(long limit) : IMemberSink
    {
        public long Count { get; private set; }

        public bool Add(ReadOnlySpan<byte> member)
        {
            Count++;
            return limit == 0 || Count < limit;
        }
    }
}
