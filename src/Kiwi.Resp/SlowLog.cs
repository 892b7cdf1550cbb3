using System.Text;
using Kiwi.Core.Resp;

namespace Kiwi.Resp;

/// <summary>
/// SLOWLOG: the commands that ran longer than <c>slowlog-log-slower-than</c> microseconds, newest first, at most
/// <c>slowlog-max-len</c> of them. A command under the threshold costs one comparison; only an entry that is kept
/// allocates (its arguments are copied, cut as Redis cuts them: 32 arguments, 128 bytes each).
/// </summary>
internal sealed class SlowLog
{
    /// <summary>Arguments kept per entry (the last one then says how many more there were).</summary>
    public const int MaxArgs = 32;

    /// <summary>Bytes kept per argument.</summary>
    public const int MaxArgBytes = 128;

    private readonly Lock _lock = new();
    private readonly LinkedList<Entry> _entries = new();
    private long _nextId;
    private long _thresholdTicks;
    private int _maxLength = 128;

    /// <summary>Creates a log with Redis's defaults (10000 µs, 128 entries).</summary>
    public SlowLog() => Configure(10_000, 128);

    /// <summary>The threshold in <see cref="System.Diagnostics.Stopwatch"/> ticks; negative: nothing is logged.</summary>
    public long ThresholdTicks => Volatile.Read(ref _thresholdTicks);

    /// <summary>Entries kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Sets the threshold (µs; negative disables, 0 logs every command) and the length (trimming at once).</summary>
    public void Configure(long slowerThanMicros, long maxLength)
    {
        Volatile.Write(ref _thresholdTicks, slowerThanMicros < 0 ? -1 : slowerThanMicros * System.Diagnostics.Stopwatch.Frequency / 1_000_000);
        lock (_lock)
        {
            _maxLength = (int)Math.Clamp(maxLength, 0, int.MaxValue);
            Trim();
        }
    }

    /// <summary>True when a command that ran <paramref name="ticks"/> is to be logged.</summary>
    public bool IsSlow(long ticks)
    {
        long threshold = Volatile.Read(ref _thresholdTicks);
        return threshold >= 0 && ticks >= threshold;
    }

    /// <summary>Logs a command (its arguments are copied here).</summary>
    public void Add(CommandArgs args, long micros, ClientSession client)
    {
        int count = Math.Min(args.Count, MaxArgs);
        var kept = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            if (count != args.Count && i == count - 1)
            {
                kept[i] = Encoding.ASCII.GetBytes($"... ({args.Count - count + 1} more arguments)");
                continue;
            }

            ReadOnlySpan<byte> arg = args[i];
            kept[i] = arg.Length <= MaxArgBytes
                ? arg.ToArray()
                : [.. arg[..MaxArgBytes], .. Encoding.ASCII.GetBytes($"... ({arg.Length - MaxArgBytes} more bytes)")];
        }

        var entry = new Entry(0, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), micros, kept, client.RemoteAddress, client.Name ?? string.Empty);
        lock (_lock)
        {
            _entries.AddFirst(entry with { Id = _nextId++ });
            Trim();
        }
    }

    /// <summary>SLOWLOG RESET.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    /// <summary>SLOWLOG GET: the newest <paramref name="count"/> entries (-1: all).</summary>
    public void Write(RespWriter writer, long count)
    {
        List<Entry> entries;
        lock (_lock)
        {
            entries = new List<Entry>(_entries.Count);
            foreach (Entry entry in _entries)
            {
                if (count >= 0 && entries.Count >= count)
                {
                    break;
                }

                entries.Add(entry);
            }
        }

        writer.WriteArrayHeader(entries.Count);
        foreach (Entry entry in entries)
        {
            writer.WriteArrayHeader(6);
            writer.WriteInteger(entry.Id);
            writer.WriteInteger(entry.UnixSeconds);
            writer.WriteInteger(entry.Micros);
            writer.WriteArrayHeader(entry.Args.Length);
            foreach (byte[] arg in entry.Args)
            {
                writer.WriteBulk(arg);
            }

            writer.WriteBulk(Encoding.UTF8.GetBytes(entry.Address));
            writer.WriteBulk(Encoding.UTF8.GetBytes(entry.Name));
        }
    }

    private void Trim()
    {
        while (_entries.Count > _maxLength)
        {
            _entries.RemoveLast();
        }
    }

    private sealed record Entry(long Id, long UnixSeconds, long Micros, byte[][] Args, string Address, string Name);
}
