using Kiwi.Core.Apply;
using Kiwi.Core.Resp;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Transactions;

/// <summary>
/// Runs a read queued in a transaction on the writer thread, against the batch view, with the read code that
/// answers it outside a transaction (the RESP server's read handlers). Core defines it, the server provides it
/// (<see cref="KiwiDb.TransactionReads"/>); without one, a queued read is answered with an error.
/// </summary>
internal interface ITransactionReads
{
    /// <summary>
    /// Runs <paramref name="args"/> (the command name first) in <paramref name="db"/> against <paramref name="view"/>,
    /// at the entry's clock <paramref name="nowMs"/>, writing its reply into <paramref name="reply"/>.
    /// </summary>
    void Run(CommandArgs args, int db, StorageSnapshot view, long nowMs, RespWriter reply);
}
