using System.Globalization;
using System.Text;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Resp.Handlers;

/// <content>KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, COPY, OBJECT.</content>
internal static partial class KeyHandlers
{
    public static void RegisterMore(List<CommandSpec> t)
    {
        t.Add(new("keys", 2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 0, 0, 0, Keys));
        t.Add(new("scan", -2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 0, 0, 0, Scan));
        t.Add(new("randomkey", 1, CommandFlags.ReadOnly | CommandFlags.BatchRead, 0, 0, 0, RandomKey));
        t.Add(new("rename", 3, CommandFlags.Write, 1, 2, 1, static (ref CommandContext ctx) => ctx.Submit(KeyEntries.Rename(ctx.Target, ctx[1], ctx[2], onlyIfNew: false))));
        t.Add(new("renamenx", 3, CommandFlags.Write | CommandFlags.Fast, 1, 2, 1, static (ref CommandContext ctx) => ctx.Submit(KeyEntries.Rename(ctx.Target, ctx[1], ctx[2], onlyIfNew: true))));
        t.Add(new("copy", -3, CommandFlags.Write, 1, 2, 1, Copy));
        t.Add(new("object", -2, CommandFlags.ReadOnly | CommandFlags.BatchRead, 2, 2, 1, ObjectCommand));
    }

    private static void Keys(ref CommandContext ctx)
    {
        byte[] pattern = ctx[1].ToArray();
        bool all = GlobPattern.MatchesAll(pattern);
        var found = new List<byte[]>();
        CancellationToken cancellation = ctx.Cancellation;
        using IStorageCursor keys = ctx.OpenKeyCursor();
        KeyScan.Walk(keys, ctx.ReadDb, default, ctx.NowMs, cancellation, (key, _) =>
        {
            if (all || GlobPattern.IsMatch(pattern, key, ignoreCase: false, cancellation))
            {
                found.Add(key.ToArray());
            }

            return true;
        });
        ctx.Writer.WriteArrayHeader(found.Count);
        foreach (byte[] key in found)
        {
            ctx.Writer.WriteBulk(key);
        }
    }

    private static void Scan(ref CommandContext ctx)
    {
        if (!ulong.TryParse(Encoding.ASCII.GetString(ctx[1]), NumberStyles.None, CultureInfo.InvariantCulture, out ulong cursor))
        {
            ctx.Error("ERR invalid cursor"u8);
            return;
        }

        byte[]? pattern = null;
        long count = 10;
        KeyType? type = null;
        for (int i = 2; i < ctx.Count; i += 2)
        {
            if (i + 1 >= ctx.Count)
            {
                ctx.SyntaxError();
                return;
            }

            if (ArgParser.Is(ctx[i], "MATCH"u8))
            {
                pattern = GlobPattern.MatchesAll(ctx[i + 1]) ? null : ctx[i + 1].ToArray();
            }
            else if (ArgParser.Is(ctx[i], "COUNT"u8))
            {
                if (!ArgParser.TryInt64(ctx[i + 1], out count))
                {
                    ctx.NotInteger();
                    return;
                }

                if (count < 1)
                {
                    ctx.SyntaxError();
                    return;
                }
            }
            else if (ArgParser.Is(ctx[i], "TYPE"u8))
            {
                type = ParseType(ctx[i + 1]);
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }

        byte[] start = [];
        if (cursor != 0 && !ctx.Server.TryResume(cursor, out start))
        {
            start = [];
        }

        var found = new List<byte[]>();
        long visited = 0;
        CancellationToken cancellation = ctx.Cancellation;
        byte[]? resume;
        using (IStorageCursor keys = ctx.OpenKeyCursor())
        {
            resume = KeyScan.Walk(keys, ctx.ReadDb, start, ctx.NowMs, cancellation, (key, keyType) =>
            {
                if ((pattern is null || GlobPattern.IsMatch(pattern, key, ignoreCase: false, cancellation)) && (type is null || type == keyType))
                {
                    found.Add(key.ToArray());
                }

                return ++visited < count;
            });
        }

        ulong next = resume is null ? 0 : ctx.Server.SaveCursor(resume);
        ctx.Writer.WriteArrayHeader(2);
        ctx.Writer.WriteBulk(Encoding.ASCII.GetBytes(next.ToString(CultureInfo.InvariantCulture)));
        ctx.Writer.WriteArrayHeader(found.Count);
        foreach (byte[] key in found)
        {
            ctx.Writer.WriteBulk(key);
        }
    }

    /// <summary>SCAN's TYPE names; an unknown name matches nothing, as in Redis.</summary>
    private static KeyType ParseType(ReadOnlySpan<byte> name)
        => ArgParser.Is(name, "STRING"u8) ? KeyType.String
            : ArgParser.Is(name, "HASH"u8) ? KeyType.Hash
            : ArgParser.Is(name, "LIST"u8) ? KeyType.List
            : ArgParser.Is(name, "SET"u8) ? KeyType.Set
            : ArgParser.Is(name, "ZSET"u8) ? KeyType.ZSet
            : (KeyType)255;

    private static void RandomKey(ref CommandContext ctx)
    {
        byte[]? chosen;
        using (IStorageCursor keys = ctx.OpenKeyCursor())
        {
            chosen = KeySampler.PickRandom(keys, ctx.ReadDb, ctx.NowMs, ctx.Cancellation);
        }

        if (chosen is null)
        {
            ctx.Writer.WriteNull();
        }
        else
        {
            ctx.Writer.WriteBulk(chosen);
        }
    }

    private static void Copy(ref CommandContext ctx)
    {
        bool replace = false;
        long targetDb = ctx.Session.Database;
        for (int i = 3; i < ctx.Count; i++)
        {
            if (ArgParser.Is(ctx[i], "REPLACE"u8))
            {
                replace = true;
            }
            else if (ArgParser.Is(ctx[i], "DB"u8) && i + 1 < ctx.Count)
            {
                if (!DatabaseHandlers.TryReadIndex(ref ctx, ctx[++i], out targetDb))
                {
                    return;
                }

                if (!KeyEntries.IsDatabase(ctx.Db, targetDb))
                {
                    ctx.Error(KeyEntries.DbOutOfRange);
                    return;
                }
            }
            else
            {
                ctx.SyntaxError();
                return;
            }
        }

        ctx.Submit(KeyEntries.Copy(ctx.Target, ctx[1], ctx[2], targetDb, replace));
    }

    private static readonly string[] s_objectHelp =
    [
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
    ];

    private static void ObjectCommand(ref CommandContext ctx)
    {
        ReadOnlySpan<byte> sub = ctx[1];
        if (ArgParser.Is(sub, "HELP"u8))
        {
            if (Subcommands.Arity(ref ctx, 2, "object", "help"))
            {
                Subcommands.Help(ref ctx, "OBJECT", s_objectHelp);
            }

            return;
        }

        string? name = ArgParser.Is(sub, "ENCODING"u8) ? "encoding" : ArgParser.Is(sub, "FREQ"u8) ? "freq"
            : ArgParser.Is(sub, "IDLETIME"u8) ? "idletime" : ArgParser.Is(sub, "REFCOUNT"u8) ? "refcount" : null;
        if (name is null)
        {
            Subcommands.Unknown(ref ctx, "OBJECT");
            return;
        }

        if (!Subcommands.Arity(ref ctx, 3, "object", name))
        {
            return;
        }

        KeyType type = ctx.Lookup(ctx[2]);
        if (type == KeyType.None)
        {
            ReadPath.Release();
            ctx.Writer.WriteNull();
            return;
        }

        if (ArgParser.Is(sub, "ENCODING"u8))
        {
            ReadOnlySpan<byte> record = ReadPath.Record;
            if (type == KeyType.List)
            {
                // Redis 7.0 keeps every list in a quicklist (listpack lists came in 7.2).
                ctx.Writer.WriteBulk("quicklist"u8);
            }
            else if (type == KeyType.ZSet)
            {
                ctx.Writer.WriteBulk(MetaValue.Encoding(record) == CollectionEncoding.Compact ? "listpack"u8 : "skiplist"u8);
            }
            else if (type != KeyType.String)
            {
                // The encoding Redis 7.0 would have chosen, kept in the meta record (see CollectionEncoding).
                bool compact = MetaValue.Encoding(record) == CollectionEncoding.Compact;
                ctx.Writer.WriteBulk(!compact ? "hashtable"u8 : type == KeyType.Set ? "intset"u8 : "listpack"u8);
            }
            else
            {
                ReadOnlySpan<byte> value = MetaValue.Payload(record);
                ctx.Writer.WriteBulk(value.Length <= 20 && RedisNumbers.TryParseInt64(value, out _) ? "int"u8
                    : value.Length <= 44 ? "embstr"u8
                    : "raw"u8);
            }
        }
        else if (ArgParser.Is(sub, "REFCOUNT"u8))
        {
            ctx.Writer.WriteInteger(1);
        }
        else if (ArgParser.Is(sub, "IDLETIME"u8))
        {
            // Access times are not tracked (the store keeps no per-read state).
            ctx.Writer.WriteInteger(0);
        }
        else if (ArgParser.Is(sub, "FREQ"u8))
        {
            ctx.Error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."u8);
        }

        ReadPath.Release();
    }
}
