using Kiwi.Core.Commands;
using Kiwi.Core.Resp;

namespace Kiwi.Resp.Handlers;

/// <content>COMMAND GETKEYS: a command's key arguments, from its <see cref="CommandSpec"/> key positions, or its numkeys argument.</content>
internal static partial class ServerHandlers
{
    private static readonly string[] s_commandHelp =
    [
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
    ];

    private static void GetKeys(ref CommandContext ctx)
    {
        CommandSpec? spec = CommandTable.Find(ctx[2]);
        if (spec is null)
        {
            ctx.Error("ERR Invalid command specified"u8);
            return;
        }

        int argc = ctx.Count - 2;
        int numKeysAt = NumKeysPosition(spec.Name);
        if (spec.FirstKey == 0 && numKeysAt == 0)
        {
            ctx.Error("ERR The command has no key arguments"u8);
            return;
        }

        if (!spec.AcceptsArgCount(argc))
        {
            ctx.Error("ERR Invalid number of arguments specified for command"u8);
            return;
        }

        var keys = new List<int>();
        KeyPositions(spec, ctx.Args, 2, keys);
        if (keys.Count == 0)
        {
            ctx.Error("ERR Invalid arguments specified for command"u8);
            return;
        }

        ctx.Writer.WriteArrayHeader(keys.Count);
        foreach (int position in keys)
        {
            ctx.Writer.WriteBulk(ctx[2 + position]);
        }
    }

    /// <summary>
    /// Adds to <paramref name="keys"/> the positions (the command's name at 0) of the key arguments of the command of
    /// <paramref name="spec"/> whose name is <paramref name="args"/>[<paramref name="offset"/>]: from its key positions,
    /// or its numkeys argument.
    /// </summary>
    internal static void KeyPositions(CommandSpec spec, CommandArgs args, int offset, List<int> keys)
    {
        int argc = args.Count - offset;
        if (spec.FirstKey > 0)
        {
            // Positions within the inner command (its name at 0), as COMMAND INFO gives them.
            int last = spec.LastKey >= 0 ? spec.LastKey : argc + spec.LastKey;
            for (int i = spec.FirstKey; i <= last && i < argc; i += Math.Max(1, spec.Step))
            {
                keys.Add(i);
            }
        }

        int numKeysAt = NumKeysPosition(spec.Name);
        if (numKeysAt > 0 && numKeysAt < argc && ArgParser.TryInt64(args[offset + numKeysAt], out long numKeys) && numKeys > 0)
        {
            for (int i = numKeysAt + 1; i <= numKeysAt + numKeys && i < argc; i++)
            {
                keys.Add(i);
            }
        }
    }

    // Commands whose keys follow a numkeys argument (Redis's keynum key specs): where that argument is.
    private static int NumKeysPosition(string name) => name switch
    {
        "zunionstore" or "zinterstore" or "zdiffstore" or "blmpop" or "bzmpop" => 2,
        "lmpop" or "zmpop" or "sintercard" or "zintercard" or "zunion" or "zinter" or "zdiff" => 1,
        _ => 0,
    };
}
