using System.Globalization;

namespace Kiwi.Resp;

/// <summary>
/// Redis's <c>client-output-buffer-limit</c> for normal clients: <c>hard</c> bytes, or <c>soft</c> bytes held for
/// <c>seconds</c>. A client's replies wait in a buffer the server stops filling at 1 MB (it stops reading that
/// client's commands instead), so the limits apply to what waits while that buffer is full: a read's replies of
/// <see cref="HardBytes"/> or more, or a full buffer for <see cref="SoftSeconds"/>. 0 turns a limit off; Redis's
/// default for normal clients, <c>0 0 0</c>, never disconnects.
/// </summary>
internal readonly record struct OutputLimit(long HardBytes, long SoftBytes, int SoftSeconds)
{
    /// <summary>What CONFIG GET shows for the classes Kiwi.Fast has no clients of (Redis's defaults).</summary>
    private const string OtherClasses = "replica 268435456 67108864 60 pubsub 33554432 8388608 60";

    /// <summary>True when some limit is on.</summary>
    public bool Any => HardBytes > 0 || SoftSeconds > 0;

    /// <summary>
    /// Parses Redis's form (<c>normal 0 0 0 replica … pubsub …</c>: only the normal class is kept; the others are
    /// accepted and ignored) or a single size, taken as the hard limit.
    /// </summary>
    public static OutputLimit Parse(string value, Func<string, long> parseBytes)
    {
        string[] words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 1)
        {
            return new OutputLimit(parseBytes(words[0]), 0, 0);
        }

        if (words.Length % 4 != 0)
        {
            throw new FormatException("client-output-buffer-limit takes 'class hard soft seconds' groups");
        }

        OutputLimit normal = default;
        for (int i = 0; i < words.Length; i += 4)
        {
            string name = words[i].ToLowerInvariant();
            if (name is not ("normal" or "replica" or "slave" or "pubsub"))
            {
                throw new FormatException($"client-output-buffer-limit: unknown class '{words[i]}'");
            }

            var limit = new OutputLimit(parseBytes(words[i + 1]), parseBytes(words[i + 2]), int.Parse(words[i + 3], NumberStyles.None, CultureInfo.InvariantCulture));
            if (name == "normal")
            {
                normal = limit;
            }
        }

        return normal;
    }

    /// <summary>Redis's CONFIG GET form.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"normal {HardBytes} {SoftBytes} {SoftSeconds} {OtherClasses}");
}
