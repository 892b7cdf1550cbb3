using Kiwi.Core.Apply;
using Kiwi.Core.Resp;

namespace Kiwi.Core.Commands;

/// <summary>Where an encoder's entry goes: the store, the database it runs in, and the protocol of its reply.</summary>
internal readonly struct EntryTarget
{
    /// <summary>Creates the target; <paramref name="session"/> for a RESP session's commands (see <see cref="Session"/>).</summary>
    public EntryTarget(KiwiDb db, int database, RespVersion protocol, bool session)
    {
        Db = db;
        Database = database;
        Protocol = protocol;
        Session = session;
    }

    /// <summary>The store that rents the request (and later runs it).</summary>
    public KiwiDb Db { get; }

    /// <summary>The database number written into each command.</summary>
    public int Database { get; }

    /// <summary>The protocol the reply is written in.</summary>
    public RespVersion Protocol { get; }

    /// <summary>
    /// True for a RESP session's commands: their requests complete on the writer thread and submitting one does not
    /// apply it (the session applies what it published once per read, see <see cref="KiwiDb.ApplyPublished"/>).
    /// </summary>
    public bool Session { get; }

    /// <summary>
    /// True when the entry joins a transaction (a command queued in MULTI): a relative expiry (SET EX, EXPIRE, GETEX
    /// EX, RESTORE's TTL...) is then encoded relative, flagged, and the writer adds the clock of the entry that
    /// applies it (EXEC's), as Redis computes it when EXEC runs the command, not when it was queued.
    /// </summary>
    public bool RelativeTimes { get; init; }

    /// <summary>An expiry <paramref name="relativeMs"/> after the applying entry's clock <paramref name="nowMs"/> (saturating: checked at queue time).</summary>
    public static long ResolveRelative(long nowMs, long relativeMs) => relativeMs > long.MaxValue - nowMs ? long.MaxValue : nowMs + relativeMs;

    /// <summary>The clock reading an entry is stamped with.</summary>
    public long NowMs() => Db.NowMs();

    /// <summary>Rents a request and starts its entry, stamped <paramref name="nowMs"/>.</summary>
    public ApplyRequest Begin(long nowMs) => Db.Begin(nowMs, Protocol, Session);
}
