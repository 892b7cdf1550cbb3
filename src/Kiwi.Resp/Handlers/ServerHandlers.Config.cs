using System.Text;
using Kiwi.Core.Commands;
using Kiwi.Core.Reads;

namespace Kiwi.Resp.Handlers;

/// <content>CONFIG GET (several patterns), SET (several pairs, all or none), RESETSTAT, REWRITE, HELP.</content>
internal static partial class ServerHandlers
{
    private static readonly string[] s_configHelp =
    [
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
    ];

    private static readonly SubcommandTable s_config = new("config", s_configHelp,
    [
        new("GET", -3, ConfigGet),
        new("SET", -4, ConfigSet),
        new("RESETSTAT", 2, static (ref CommandContext ctx) =>
        {
            ctx.Server.ResetStats();
            ctx.Writer.WriteOk();
        }),
        new("REWRITE", 2, ConfigRewrite),
    ]);

    private static void Config(ref CommandContext ctx) => s_config.Dispatch(ref ctx);

    private static void ConfigRewrite(ref CommandContext ctx)
    {
        if (ctx.Server.Settings.TryRewrite(out string error))
        {
            ctx.Writer.WriteOk();
        }
        else
        {
            ctx.Error("ERR " + error);
        }
    }

    private static void ConfigGet(ref CommandContext ctx)
    {
        var matches = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, string> setting in ctx.Server.Settings.All())
        {
            byte[] name = Encoding.UTF8.GetBytes(setting.Key);
            for (int i = 2; i < ctx.Count; i++)
            {
                if (GlobPattern.IsMatch(ctx[i], name, ignoreCase: true))
                {
                    matches.Add(setting);
                    break;
                }
            }
        }

        ctx.Writer.WriteMapHeader(matches.Count);
        foreach (KeyValuePair<string, string> match in matches)
        {
            ctx.Writer.WriteBulk(Encoding.UTF8.GetBytes(match.Key));
            ctx.Writer.WriteBulk(Encoding.UTF8.GetBytes(match.Value));
        }
    }

    // Redis 7's configSetCommand: every name checked first (unknown, immutable, given twice), then each value set;
    // when one fails, those already set get their old values back, so the command changes all or nothing.
    private static void ConfigSet(ref CommandContext ctx)
    {
        // Name-value pairs: the arity lets an odd count through.
        if ((ctx.Count & 1) != 0)
        {
            ctx.Error("ERR wrong number of arguments for 'config|set' command"u8);
            return;
        }

        IServerSettings settings = ctx.Server.Settings;
        var current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string> setting in settings.All())
        {
            current[setting.Key] = setting.Value;
        }

        var names = new List<string>();
        for (int i = 2; i < ctx.Count; i += 2)
        {
            string name = Encoding.UTF8.GetString(ctx[i]);
            if (!current.ContainsKey(name))
            {
                ctx.Error($"ERR Unknown option or number of arguments for CONFIG SET - '{name}'");
                return;
            }

            if (names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                ctx.Error($"ERR CONFIG SET failed (possibly related to argument '{name}') - duplicate parameter");
                return;
            }

            names.Add(name);
        }

        for (int i = 0; i < names.Count; i++)
        {
            if (!settings.TrySet(names[i], Encoding.UTF8.GetString(ctx[3 + (2 * i)]), out string? error))
            {
                for (int j = 0; j < i; j++)
                {
                    settings.TrySet(names[j], current[names[j]], out _);
                }

                ctx.Error($"ERR CONFIG SET failed (possibly related to argument '{names[i]}') - {error ?? "can't set immutable config"}");
                return;
            }
        }

        ctx.Server.SlowLog.Configure(settings.SlowlogLogSlowerThan, settings.SlowlogMaxLen);
        ctx.Writer.WriteOk();
    }
}
