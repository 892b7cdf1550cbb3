namespace Kiwi.Core;

/// <content>The sorted-set family.</content>
public sealed partial class KiwiDb
{
    private KiwiSortedSets? _sortedSets;

    /// <summary>The sorted-set commands (ZADD, ZREM, ZSCORE, ZCARD, ZRANK, ZRANGEBYSCORE…).</summary>
    public KiwiSortedSets SortedSets => _sortedSets ??= new KiwiSortedSets(this);
}
