using Kiwi.Core.Apply;

namespace Kiwi.Resp;

/// <content>
/// SELECT inside MULTI, as Redis: it is queued (its reply, OK or its error, is its element of EXEC's array) and the
/// commands queued after it run in the database it selects, which each queued command already carries. So the
/// session switches database as it queues the SELECT, and the connection keeps the new one only when EXEC runs the
/// transaction: DISCARD and EXECABORT go back to the database of MULTI, and so does an EXEC that WATCH may refuse,
/// until its reply says it ran (the session reads no further command before that reply, as for a blocked client).
/// </content>
internal sealed partial class ClientSession
{
    private int _databaseAtMulti;
    private bool _selectQueued;

    // An EXEC whose transaction selected another database under a WATCH: the database the connection takes if it runs.
    private ApplyRequest? _execSelect;
    private int _execSelectDatabase;

    /// <summary>True while an EXEC that selected a database waits for its reply: no further command is read meanwhile.</summary>
    internal bool AwaitingExecSelect => _execSelect is not null;

    private void BeginSelects()
    {
        _databaseAtMulti = Database;
        _selectQueued = false;
    }

    private void NoteSelectQueued() => _selectQueued = true;

    // DISCARD, EXECABORT: nothing ran, the connection stays in the database of MULTI.
    private void UndoSelects()
    {
        if (_selectQueued)
        {
            _selectQueued = false;
            Database = _databaseAtMulti;
        }
    }

    // EXEC: without a WATCH the transaction runs, SELECT included; with one, the reply decides (SettleExecSelect).
    private void SettleSelectsAtExec(ApplyRequest exec, bool watched)
    {
        if (!_selectQueued)
        {
            return;
        }

        _selectQueued = false;
        if (watched && Database != _databaseAtMulti)
        {
            _execSelect = exec;
            _execSelectDatabase = Database;
            Database = _databaseAtMulti;
        }
    }

    /// <summary>
    /// Before the reply at the head of the writes in flight goes out: when it is the EXEC of <see cref="AwaitingExecSelect"/>,
    /// the connection takes the selected database unless the reply is a null array (WATCH refused the transaction).
    /// </summary>
    internal void SettleExecSelect()
    {
        if (_execSelect is null || !ReferenceEquals(_pending[_pendingHead], _execSelect))
        {
            return;
        }

        ReadOnlySpan<byte> reply = _execSelect.ReplyBuffer.WrittenSpan;
        if (!reply.StartsWith("*-1\r\n"u8) && !reply.StartsWith("_\r\n"u8))
        {
            Database = _execSelectDatabase;
        }

        _execSelect = null;
    }
}
