namespace Kiwi.Core.PubSub;

/// <summary>
/// The classes of keyspace notifications, Redis's <c>notify-keyspace-events</c> letters (same bits as its
/// <c>NOTIFY_*</c>). <see cref="Keyspace"/> and/or <see cref="Keyevent"/> choose the channels; the others choose the
/// events.
/// </summary>
[Flags]
public enum KeyspaceEventClasses
{
    /// <summary>No notifications (the default).</summary>
    None = 0,

    /// <summary>K: publish to <c>__keyspace@&lt;db&gt;__:&lt;key&gt;</c> with the event as the message.</summary>
    Keyspace = 1 << 0,

    /// <summary>E: publish to <c>__keyevent@&lt;db&gt;__:&lt;event&gt;</c> with the key as the message.</summary>
    Keyevent = 1 << 1,

    /// <summary>g: generic commands (DEL, EXPIRE, RENAME, COPY, PERSIST…).</summary>
    Generic = 1 << 2,

    /// <summary>$: string commands.</summary>
    String = 1 << 3,

    /// <summary>l: list commands.</summary>
    List = 1 << 4,

    /// <summary>s: set commands.</summary>
    Set = 1 << 5,

    /// <summary>h: hash commands.</summary>
    Hash = 1 << 6,

    /// <summary>z: sorted set commands.</summary>
    SortedSet = 1 << 7,

    /// <summary>x: a key expired (removed by the expiry cycle or found expired by a write).</summary>
    Expired = 1 << 8,

    /// <summary>e: a key evicted for maxmemory (Kiwi.Fast evicts nothing: never produced).</summary>
    Evicted = 1 << 9,

    /// <summary>t: stream commands (no streams yet: never produced).</summary>
    Stream = 1 << 10,

    /// <summary>m: key misses (accepted; not produced: reads do not go through the writer).</summary>
    KeyMiss = 1 << 11,

    /// <summary>d: module events (no modules: never produced).</summary>
    Module = 1 << 13,

    /// <summary>n: a new key was added (not part of A, as in Redis).</summary>
    New = 1 << 14,

    /// <summary>A: g$lshzxetd.</summary>
    All = Generic | String | List | Set | Hash | SortedSet | Expired | Evicted | Stream | Module,
}
