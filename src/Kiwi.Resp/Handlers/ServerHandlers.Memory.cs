using Kiwi.Core.Apply;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <content>MEMORY USAGE (an estimate from stored sizes), DOCTOR, STATS, MALLOC-STATS, PURGE, HELP.</content>
internal static partial class ServerHandlers
{
    /// <summary>Bytes counted per key beyond its name and record (Redis's dictEntry and robj, roughly).</summary>
    private const long KeyOverhead = 48;

    /// <summary>Bytes counted per member record beyond its bytes (a RocksDB entry's own overhead, roughly).</summary>
    private const long MemberOverhead = 16;

    private static readonly string[] s_memoryHelp =
    [
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
    ];

    private static readonly SubcommandTable s_memory = new("memory", s_memoryHelp,
    [
        new("USAGE", -3, MemoryUsage),
        new("DOCTOR", 2, static (ref CommandContext ctx) => ctx.Writer.WriteVerbatim("Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base."u8)),
        new("STATS", 2, MemoryStats),
        new("MALLOC-STATS", 2, static (ref CommandContext ctx) => ctx.Writer.WriteVerbatim("Stats not supported for the current allocator"u8)),
        new("PURGE", 2, static (ref CommandContext ctx) => ctx.Writer.WriteOk()),
    ]);

    private static void Memory(ref CommandContext ctx) => s_memory.Dispatch(ref ctx);

    // The key's name and meta record, plus for a collection the average size of its first SAMPLES member records
    // (all of them with SAMPLES 0) times its member count (twice for a sorted set: it keeps two records a member).
    private static void MemoryUsage(ref CommandContext ctx)
    {
        long samples = 5;
        for (int i = 3; i < ctx.Count; i++)
        {
            if (ArgParser.Is(ctx[i], "SAMPLES"u8) && i + 1 < ctx.Count)
            {
                if (!ArgParser.TryInt64(ctx[++i], out samples))
                {
                    ctx.NotInteger();
                    return;
                }

                if (samples < 0)
                {
                    ctx.SyntaxError();
                    return;
                }
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }

        int db = ctx.Session.Database;
        KeyType type = ReadPath.Lookup(ctx.View, db, ctx[2], ctx.Db.NowMs());
        if (type == KeyType.None)
        {
            ReadPath.Release();
            ctx.Writer.WriteNull();
            return;
        }

        ReadOnlySpan<byte> record = ReadPath.Record;
        long usage = KeyOverhead + ctx[2].Length + record.Length;
        long count = MetaValue.Count(record);
        ulong version = MetaValue.Version(record);
        bool collection = MetaValue.IsCollection(record);
        ReadPath.Release();
        if (collection && count > 0)
        {
            long seen = 0;
            long bytes = 0;
            using (MemberCursor cursor = CollectionReads.OpenMembers(ctx.View, ApplyContext.SpaceOf(type), db, ctx[2], version))
            {
                for (; cursor.Valid && (samples == 0 || seen < samples); cursor.Next())
                {
                    bytes += cursor.Member.Length + cursor.Value.Length + MemberOverhead;
                    seen++;
                }
            }

            long records = type == KeyType.ZSet ? count * 2 : count;
            usage += seen == 0 ? 0 : bytes * records / seen;
        }

        ctx.Writer.WriteInteger(usage);
    }

    private static void MemoryStats(ref CommandContext ctx)
    {
        long managed = GC.GetTotalMemory(false);
        long keys = ctx.Db.CountKeys(ctx.Session.Database);
        ctx.Writer.WriteMapHeader(7);
        ctx.Writer.WriteBulk("peak.allocated"u8);
        ctx.Writer.WriteInteger(Math.Max(managed, GC.GetGCMemoryInfo().HeapSizeBytes));
        ctx.Writer.WriteBulk("total.allocated"u8);
        ctx.Writer.WriteInteger(managed);
        ctx.Writer.WriteBulk("startup.allocated"u8);
        ctx.Writer.WriteInteger(0);
        ctx.Writer.WriteBulk("clients.normal"u8);
        ctx.Writer.WriteInteger(ctx.Server.Clients.Count);
        ctx.Writer.WriteBulk("keys.count"u8);
        ctx.Writer.WriteInteger(keys);
        ctx.Writer.WriteBulk("dataset.bytes"u8);
        ctx.Writer.WriteInteger(Environment.WorkingSet);
        ctx.Writer.WriteBulk("rss-overhead.bytes"u8);
        ctx.Writer.WriteInteger(0);
    }
}
