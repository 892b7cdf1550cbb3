namespace Kiwi.Jepsen.Tests.Histories;

/// <summary>What a client asked for.</summary>
internal enum OperationKind : byte
{
    /// <summary>SET key value: the value is <see cref="Operation.Argument"/>; it replies OK.</summary>
    Set,

    /// <summary>GET key: replies the value, or nil when the key does not exist.</summary>
    Get,

    /// <summary>INCR key: replies the value after the increment (a missing key counts as 0).</summary>
    Incr,
}

/// <summary>How an operation ended, as far as its client can tell.</summary>
internal enum Outcome : byte
{
    /// <summary>Answered: it took effect, and <see cref="Operation.Result"/> is what it returned.</summary>
    Ok,

    /// <summary>Definitely not applied (refused before it could be, e.g. CLUSTERDOWN, MOVED): it constrains nothing.</summary>
    Fail,

    /// <summary>
    /// The client cannot tell (timeout, cut connection, TRYAGAIN): it may have taken effect at any time after its
    /// invocation, or never. Its completion time is <see cref="Operation.Open"/>.
    /// </summary>
    Unknown,
}

/// <summary>
/// One operation of a history: which client did what to which key, when it was invoked and when its reply came
/// (both <see cref="System.Diagnostics.Stopwatch"/> ticks), and the outcome.
/// </summary>
/// <param name="Client">The client (a sequential process: one operation at a time).</param>
/// <param name="Key">The key; the checker checks each key on its own.</param>
/// <param name="Kind">SET, GET or INCR.</param>
/// <param name="Argument">The value a SET writes (0 otherwise).</param>
/// <param name="Invoke">When the request was about to be sent.</param>
/// <param name="Complete">When the reply arrived; <see cref="Open"/> for <see cref="Outcome.Unknown"/>.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Result">What an <see cref="Outcome.Ok"/> GET or INCR returned (null: GET of a missing key).</param>
internal sealed record Operation(int Client, string Key, OperationKind Kind, long Argument, long Invoke, long Complete, Outcome Outcome, long? Result)
{
    /// <summary>The completion time of an operation whose outcome is unknown: it may still take effect at any later time.</summary>
    public const long Open = long.MaxValue;

    /// <summary>The member the client sent it to (fault tests), or -1; reports name it ("@m1").</summary>
    public int Member { get; init; } = -1;

    /// <summary>True for SET and INCR.</summary>
    public bool IsWrite => Kind != OperationKind.Get;

    /// <summary>"c2 SET 17 -> OK", "c0 GET -> nil", "c1 INCR -> ?" (unknown), "c3 GET -> fail".</summary>
    public string Describe()
    {
        string call = Kind switch
        {
            OperationKind.Set => $"c{Client} SET {Argument}",
            OperationKind.Get => $"c{Client} GET",
            _ => $"c{Client} INCR",
        };
        string reply = Outcome switch
        {
            Outcome.Fail => "fail",
            Outcome.Unknown => "?",
            _ => Kind == OperationKind.Set ? "OK" : FormatValue(Result),
        };
        return Member < 0 ? call + " -> " + reply : call + " -> " + reply + " @m" + Member.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A value as the reports write it: the number, or "nil".</summary>
    public static string FormatValue(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nil";
}
