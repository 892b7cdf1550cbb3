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
    /// <summary>What CONFIG GET shows for the replica class, which Kiwi.Fast has no clients of (Redis's default).</summary>
    private const string ReplicaClass = "slave 268435456 67108864 60";

    /// <summary>Redis's default for pub/sub clients: <c>32mb 8mb 60</c>.</summary>
    public static OutputLimit PubSubDefault => new(32L * 1024 * 1024, 8L * 1024 * 1024, 60);

    /// <summary>True when some limit is on.</summary>
    public bool Any => HardBytes > 0 || SoftSeconds > 0;

    /// <summary>
    /// Parses Redis's form (<c>normal 0 0 0 replica … pubsub …</c>: only the normal class is kept; the others are
    /// accepted and ignored) or a single size, taken as the hard limit.
    /// </summary>
    public static OutputLimit Parse(string value, Func<string, long> parseBytes) => Parse(value, parseBytes, "normal", default);

    /// <summary>
    /// The limit of class <paramref name="className"/> (<c>normal</c> or <c>pubsub</c>) in Redis's form: the
    /// groups naming it set it, <paramref name="current"/> stays otherwise (as CONFIG SET of some classes does).
    /// A single size is the normal class's hard limit.
    /// </summary>
    public static OutputLimit Parse(string value, Func<string, long> parseBytes, string className, OutputLimit current)
    {
        string[] words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 1)
        {
            return className == "normal" ? new OutputLimit(parseBytes(words[0]), 0, 0) : current;
        }

        if (words.Length % 4 != 0)
        {
            throw new FormatException("client-output-buffer-limit takes 'class hard soft seconds' groups");
        }

        OutputLimit chosen = current;
        for (int i = 0; i < words.Length; i += 4)
        {
            string name = words[i].ToLowerInvariant();
            if (name is not ("normal" or "replica" or "slave" or "pubsub"))
            {
                throw new FormatException($"client-output-buffer-limit: unknown class '{words[i]}'");
            }

            var limit = new OutputLimit(parseBytes(words[i + 1]), parseBytes(words[i + 2]), int.Parse(words[i + 3], NumberStyles.None, CultureInfo.InvariantCulture));
            if (name == className)
            {
                chosen = limit;
            }
        }

        return chosen;
    }

    /// <summary>Redis's CONFIG GET form, with Redis's default for the pub/sub class.</summary>
    public override string ToString() => Format(this, PubSubDefault);

    /// <summary>Redis's CONFIG GET form of the normal and pub/sub limits.</summary>
    public static string Format(OutputLimit normal, OutputLimit pubsub)
        => string.Create(CultureInfo.InvariantCulture, $"normal {normal.HardBytes} {normal.SoftBytes} {normal.SoftSeconds} {ReplicaClass} pubsub {pubsub.HardBytes} {pubsub.SoftBytes} {pubsub.SoftSeconds}");
}
