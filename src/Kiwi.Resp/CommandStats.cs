using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Kiwi.Resp;

/// <summary>
/// INFO commandstats and errorstats of one server, as Redis keeps them: per command, the calls that ran, their
/// time, the calls refused before running (arity, authentication) and the calls that replied an error; per
/// error code (the error's first word), its replies. Counting is Interlocked adds, each command's counters on
/// a cache line of their own; reading them for INFO may see a call half counted, as Redis's INFO never does
/// but no client can tell.
/// </summary>
internal sealed class CommandStats
{
    /// <summary>Distinct error codes kept; codes past them still count in <see cref="ErrorReplies"/>.</summary>
    private const int MaxErrorCodes = 128;

    /// <summary>Redis looks for the end of the code in the first 32 bytes of the line, its '-' included.</summary>
    private const int MaxCodeSearch = 31;

    private readonly Counters[] _commands;
    private readonly LatencyHistogram?[] _latency;
    private readonly ErrorCount?[] _errors = new ErrorCount?[MaxErrorCodes];
    private readonly Lock _addError = new();
    private int _errorCodes;
    private long _errorReplies;

    /// <summary>Creates zeroed counters for the commands of <see cref="CommandTable"/>.</summary>
    public CommandStats()
    {
        _commands = new Counters[CommandTable.All.Count];
        _latency = new LatencyHistogram?[CommandTable.All.Count];
    }

    /// <summary>Error replies sent since start or the last reset (INFO's total_error_replies).</summary>
    public long ErrorReplies => Volatile.Read(ref _errorReplies);

    /// <summary>Counts a call that ran for <paramref name="ticks"/> (<see cref="Stopwatch"/> ticks).</summary>
    internal void Called(CommandSpec spec, long ticks, bool failed)
    {
        ref Counters counters = ref _commands[spec.Index];
        Interlocked.Increment(ref counters.Calls);
        Interlocked.Add(ref counters.Ticks, ticks);
        if (failed)
        {
            Interlocked.Increment(ref counters.Failed);
        }

        (Volatile.Read(ref _latency[spec.Index]) ?? AddLatency(spec.Index)).Record(ticks);
    }

    private LatencyHistogram AddLatency(int index)
    {
        var created = new LatencyHistogram();
        return Interlocked.CompareExchange(ref _latency[index], created, null) ?? created;
    }

    /// <summary>INFO latencystats lines: each command called since start or the last reset, in table order.</summary>
    internal void AppendLatencyStats(StringBuilder text)
    {
        IReadOnlyList<CommandSpec> specs = CommandTable.All;
        for (int i = 0; i < specs.Count; i++)
        {
            if (Volatile.Read(ref _latency[i]) is not { } histogram)
            {
                continue;
            }

            int start = text.Length;
            text.Append("latency_percentiles_usec_").Append(specs[i].Name).Append(':');
            if (histogram.AppendPercentiles(text))
            {
                text.Append("\r\n");
            }
            else
            {
                text.Length = start;
            }
        }
    }

    /// <summary>Counts a call refused before it ran (wrong arity, no authentication).</summary>
    internal void Rejected(CommandSpec spec) => Interlocked.Increment(ref _commands[spec.Index].Rejected);

    /// <summary>Counts a call that ran and whose error reply came later (a write failed by the writer).</summary>
    internal void Failed(CommandSpec spec) => Interlocked.Increment(ref _commands[spec.Index].Failed);

    /// <summary>Counts an error reply under its code: the first word of <paramref name="line"/> (Redis's rule).</summary>
    internal void ErrorReply(ReadOnlySpan<byte> line)
    {
        Interlocked.Increment(ref _errorReplies);
        int space = line[..Math.Min(line.Length, MaxCodeSearch)].IndexOf((byte)' ');
        ReadOnlySpan<byte> code = space >= 0 ? line[..space] : "ERR"u8;
        int known = Volatile.Read(ref _errorCodes);
        for (int i = 0; i < known; i++)
        {
            ErrorCount entry = _errors[i]!;
            if (code.SequenceEqual(entry.Code))
            {
                Interlocked.Increment(ref entry.Count);
                return;
            }
        }

        AddErrorCode(code);
    }

    /// <summary>Zeroes every counter (CONFIG RESETSTAT).</summary>
    public void Reset()
    {
        for (int i = 0; i < _commands.Length; i++)
        {
            ref Counters counters = ref _commands[i];
            Volatile.Write(ref counters.Calls, 0);
            Volatile.Write(ref counters.Ticks, 0);
            Volatile.Write(ref counters.Rejected, 0);
            Volatile.Write(ref counters.Failed, 0);
        }

        foreach (LatencyHistogram? histogram in _latency)
        {
            histogram?.Reset();
        }

        lock (_addError)
        {
            int known = Volatile.Read(ref _errorCodes);
            for (int i = 0; i < known; i++)
            {
                Volatile.Write(ref _errors[i]!.Count, 0);
            }
        }

        Volatile.Write(ref _errorReplies, 0);
    }

    /// <summary>INFO commandstats lines: commands called, refused or failed at least once, in table order.</summary>
    internal void AppendCommandStats(StringBuilder text)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        IReadOnlyList<CommandSpec> specs = CommandTable.All;
        for (int i = 0; i < specs.Count; i++)
        {
            ref Counters counters = ref _commands[i];
            long calls = Volatile.Read(ref counters.Calls);
            long rejected = Volatile.Read(ref counters.Rejected);
            long failed = Volatile.Read(ref counters.Failed);
            if (calls == 0 && rejected == 0 && failed == 0)
            {
                continue;
            }

            long usec = (long)(Volatile.Read(ref counters.Ticks) * (1_000_000.0 / Stopwatch.Frequency));
            double perCall = calls == 0 ? 0 : (double)usec / calls;
            text.Append("cmdstat_").Append(specs[i].Name)
                .Append(":calls=").Append(calls.ToString(c))
                .Append(",usec=").Append(usec.ToString(c))
                .Append(",usec_per_call=").Append(perCall.ToString("F2", c))
                .Append(",rejected_calls=").Append(rejected.ToString(c))
                .Append(",failed_calls=").Append(failed.ToString(c))
                .Append("\r\n");
        }
    }

    /// <summary>INFO errorstats lines, by code in byte order (Redis keeps them in a radix tree).</summary>
    internal void AppendErrorStats(StringBuilder text)
    {
        var entries = new List<ErrorCount>();
        int known = Volatile.Read(ref _errorCodes);
        for (int i = 0; i < known; i++)
        {
            ErrorCount entry = _errors[i]!;
            if (Volatile.Read(ref entry.Count) > 0)
            {
                entries.Add(entry);
            }
        }

        entries.Sort(static (a, b) => a.Code.AsSpan().SequenceCompareTo(b.Code));
        foreach (ErrorCount entry in entries)
        {
            text.Append("errorstat_").Append(Encoding.Latin1.GetString(entry.Code))
                .Append(":count=").Append(Volatile.Read(ref entry.Count).ToString(CultureInfo.InvariantCulture))
                .Append("\r\n");
        }
    }

    private void AddErrorCode(ReadOnlySpan<byte> code)
    {
        foreach (LatencyHistogram? histogram in _latency)
        {
            histogram?.Reset();
        }

        lock (_addError)
        {
            int known = _errorCodes;
            for (int i = 0; i < known; i++)
            {
                if (code.SequenceEqual(_errors[i]!.Code))
                {
                    Interlocked.Increment(ref _errors[i]!.Count);
                    return;
                }
            }

            if (known == MaxErrorCodes)
            {
                return;
            }

            _errors[known] = new ErrorCount(code.ToArray()) { Count = 1 };
            Volatile.Write(ref _errorCodes, known + 1);
        }
    }

    /// <summary>One command's counters, alone on a cache line so commands counted on other threads do not contend.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    private struct Counters
    {
        public long Calls;
        public long Ticks;
        public long Rejected;
        public long Failed;
    }

    private sealed class ErrorCount(byte[] code)
    {
        public long Count;

        public byte[] Code { get; } = code;
    }
}
