namespace Kiwi.Core;

/// <content>The list family of the embedded API.</content>
public sealed partial class KiwiDb
{
    private KiwiLists? _lists;

    /// <summary>The list commands (LPUSH, RPUSH, LPOP, RPOP, LLEN, LINDEX, LRANGE, blocking pops…).</summary>
    public KiwiLists Lists => _lists ??= new KiwiLists(this);

    /// <summary>The keys blocked clients wait on (BLPOP and the other blocking pops, RESP and embedded).</summary>
    internal Blocking.BlockingKeys Blocking => _worker.Blocking;
}
