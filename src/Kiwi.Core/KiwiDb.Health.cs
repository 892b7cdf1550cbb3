namespace Kiwi.Core;

public sealed partial class KiwiDb
{
    /// <summary>
    /// True while the database is open and its writer thread runs: writes accepted now will be applied. False once
    /// disposed, or if the writer thread ended (a bug: writes would then wait forever).
    /// </summary>
    public bool IsWriterRunning => Volatile.Read(ref _disposed) == 0 && _worker.IsRunning;

    /// <summary>True when the database was opened in cluster mode (<see cref="KiwiDbOptions.Raft"/> set).</summary>
    public bool IsClusterMode => _clusterMode;
}
