namespace Kiwi.Core.Apply;

/// <summary>What an entry of the commit ring carries. Persisted in log entries: append only.</summary>
internal enum EntryKind : byte
{
    /// <summary>Client commands.</summary>
    Normal = 0,

    /// <summary>A leader's no-op: no data, still advances the applied index.</summary>
    Blank = 1,

    /// <summary>A cluster configuration change: no data here, still advances the applied index.</summary>
    Membership = 2,

    /// <summary>
    /// Local only, never in a log entry: the writer commits what precedes it, then writes a checkpoint of the
    /// store to the directory in the payload (UTF-8) and replies with the fully applied index it holds (its
    /// term in <see cref="ApplyRequest.Term"/>). Takes no index.
    /// </summary>
    Checkpoint = 3,

    /// <summary>
    /// Local only: the writer replaces every key with those of the RocksDB checkpoint in the directory in the
    /// payload (an installed Raft snapshot) and takes its applied position; replies with its fully applied index.
    /// </summary>
    Install = 4,

    /// <summary>
    /// Local only: the writer deletes the member groups listed in the payload (see
    /// <see cref="ApplyWorker.RunCleanupAsync"/>) that no meta record names any more, re-checking each against the
    /// committed meta record, in a storage write of its own; replies with how many it deleted. Takes no index.
    /// </summary>
    Cleanup = 5,
}
