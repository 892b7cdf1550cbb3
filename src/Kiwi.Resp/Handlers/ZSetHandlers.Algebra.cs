using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Commands.SortedSets;
using Kiwi.Core.Reads;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Resp.Handlers;

/// <content>ZUNION, ZINTER, ZDIFF and ZINTERCARD over committed state (see <see cref="ZSetAlgebra"/>).</content>
internal static partial class ZSetHandlers
{
    private static void Combine(ref CommandContext ctx, SetOperation op, ReadOnlySpan<byte> noKeys)
    {
        ReadOnlySpan<byte> error = ZAlgebraOptions.Parse(ctx.ArgsFrom(0), 1, op, store: false, cardinality: false, noKeys, out ZAlgebraOptions options);
        if (!error.IsEmpty)
        {
            ctx.Error(error);
            return;
        }

        using var result = new ZEntryList();
        var sink = new ListSink(result);
        if (!TryRun(ref ctx, op, ref options, ref sink))
        {
            return;
        }

        result.SortByScore();
        ByteBuffer body = t_reply ??= new ByteBuffer();
        body.Clear();
        var reply = new ReplySink(new RespWriter(body, ctx.Writer.Version), options.WithScores);
        for (int i = 0; i < result.Count; i++)
        {
            reply.Add(result.Member(i), result.Score(i));
        }

        WriteArray(ref ctx, body, reply.Count, options.WithScores);
    }

    private static void InterCard(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> error = ZAlgebraOptions.Parse(ctx.ArgsFrom(0), 1, SetOperation.Inter, store: false, cardinality: true, "ERR at least 1 input key is needed for 'zintercard' command"u8, out ZAlgebraOptions options);
        if (!error.IsEmpty)
        {
            ctx.Error(error);
            return;
        }

        var sink = new LimitedCount(options.Limit);
        if (TryRun(ref ctx, SetOperation.Inter, ref options, ref sink))
        {
            ctx.Writer.WriteInteger(sink.Count);
        }
    }

    // Looks every key up (WRONGTYPE first, then the options' late error, as Redis does) and runs the merge.
    private static bool TryRun<TSink>(ref CommandContext ctx, SetOperation op, ref ZAlgebraOptions options, ref TSink sink)
        where TSink : IZSink
    {
        int n = options.KeyCount;
        var versions = new ulong[n];
        var sizes = new long[n];
        var zsets = new bool[n];
        var present = new bool[n];
        long now = ctx.NowMs;
        for (int i = 0; i < n; i++)
        {
            KeyType type = CollectionReads.Lookup(ctx.View, ctx.ReadDb, ctx[options.FirstKey + i], now, out versions[i], out sizes[i]);
            if (type is not (KeyType.None or KeyType.ZSet or KeyType.Set))
            {
                ctx.Writer.WriteError(KiwiError.WrongType);
                return false;
            }

            present[i] = type != KeyType.None;
            zsets[i] = type == KeyType.ZSet;
        }

        if (!options.LateError.IsEmpty)
        {
            ctx.Error(options.LateError);
            return false;
        }

        Span<double> weights = options.FirstWeight > 0 ? new double[n] : default;
        for (int i = 0; i < weights.Length; i++)
        {
            ZScore.TryParse(ctx[options.FirstWeight + i], out weights[i]);
        }

        var sources = new MemberCursor?[n];
        try
        {
            for (int i = 0; i < n; i++)
            {
                sources[i] = present[i]
                    ? CollectionReads.OpenMembers(ctx.View, zsets[i] ? KeySpace.ZSet : KeySpace.Set, ctx.ReadDb, ctx[options.FirstKey + i], versions[i])
                    : null;
            }

            ZSetAlgebra.Run(op, options.Aggregate, sources, zsets, sizes, weights, ref sink);
        }
        finally
        {
            foreach (MemberCursor? source in sources)
            {
                source?.Dispose();
            }
        }

        return true;
    }

    /// <summary>ZINTERCARD's count, stopping at the limit (0: none).</summary>
    private struct LimitedCount(long limit) : IZSink
    {
        public long Count { get; private set; }

        public bool Add(ReadOnlySpan<byte> member, double score)
        {
            Count++;
            return limit == 0 || Count < limit;
        }
    }
}
