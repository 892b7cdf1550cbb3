using Kiwi.Core.Resp;
using Kiwi.Core.Transactions;

namespace Kiwi.Core.Apply;

/// <content>What transactions need in the writer: the WATCH registry and the batch as a read view.</content>
internal sealed partial class ApplyContext
{
    private WatchRegistry? _watches;
    private BatchView? _batchView;
    private CommandArgs? _readArgs;

    /// <summary>The keys clients watch (see <see cref="WatchRegistry"/>).</summary>
    public WatchRegistry Watches => _watches ??= new WatchRegistry(_engine, Writes);

    /// <summary>The batch being built as a read view, for reads queued in a transaction.</summary>
    public BatchView BatchView => _batchView ??= new BatchView(_engine, Writes);

    /// <summary>Runs reads queued in a transaction (the RESP server's read code); null embedded.</summary>
    public ITransactionReads? TransactionReads { get; set; }

    /// <summary>The arguments of the queued read being run (reused).</summary>
    internal CommandArgs ReadArgs => _readArgs ??= new CommandArgs();

    /// <summary>SWAPDB of physical databases <paramref name="first"/> and <paramref name="second"/>: see <see cref="WatchRegistry.Swapped"/> (nothing while none is watched).</summary>
    public void WatchesSwapped(int first, int second)
    {
        if (_watches is { Count: > 0 } watches)
        {
            watches.Swapped(first, second);
        }
    }

    private void DisposeTransactions()
    {
        _readArgs?.Dispose();
        _watches?.Dispose();
    }
}
