using System.Text;

namespace Kiwi.Resp;

/// <summary>Redis's texts for unknown commands and wrong arity (slow path: errors only).</summary>
internal static class CommandErrors
{
    /// <summary>"ERR unknown command 'x', with args beginning with: 'a' 'b' " as Redis 7 formats it.</summary>
    public static void UnknownCommand(ref CommandContext context)
    {
        var line = new StringBuilder("ERR unknown command '");
        line.Append(Truncate(CString(context[0]), 128)).Append("', with args beginning with: ");
        var args = new StringBuilder();
        for (int i = 1; i < context.Count && args.Length < 128; i++)
        {
            args.Append('\'').Append(Truncate(CString(context[i]), 128 - args.Length)).Append("' ");
        }

        line.Append(args);
        context.Error(Sanitize(line.ToString()));
    }

    /// <summary>"ERR wrong number of arguments for 'set' command".</summary>
    public static void WrongArity(ref CommandContext context, CommandSpec spec)
        => context.Error($"ERR wrong number of arguments for '{spec.Name}' command");

    /// <summary>Bytes as Latin-1 text: one char per byte, like Redis's %s of raw bytes.</summary>
    public static string Latin(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Redis prints arguments with %s: they end at the first NUL byte.</summary>
    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int nul = bytes.IndexOf((byte)0);
        return Latin(nul >= 0 ? bytes[..nul] : bytes);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..Math.Max(0, max)];

    /// <summary>Redis replaces CR and LF in error replies with spaces.</summary>
    private static string Sanitize(string line) => line.Replace('\r', ' ').Replace('\n', ' ');
}
