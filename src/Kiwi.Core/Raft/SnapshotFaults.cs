namespace Kiwi.Core.Raft;

/// <summary>
/// Fault injection for tests: alters fetched snapshot files as they arrive, as a bad link or disk would. The
/// fault is applied on the receiving side, once a whole file is in, so a fetch that is cut short does not use it
/// up: each one injected is seen by exactly one check.
/// </summary>
internal static class SnapshotFaults
{
    /// <summary>This many next fully received transfers get one byte of file content altered before they are checked.</summary>
    internal static int CorruptNextReceived;

    /// <summary>Each install waits this long after its transfer is in, as a large snapshot's load would.</summary>
    internal static TimeSpan InstallDelay;

    /// <summary>
    /// The next install, once loaded, waits this many milliseconds before it is acknowledged, whatever the request's
    /// cancellation: a load that ends after the leader gave up on the request, so the node holds a snapshot the
    /// leader thinks it lacks. Used up by that install.
    /// </summary>
    internal static int AcknowledgeNextLateMs;

    /// <summary>Waits as <see cref="AcknowledgeNextLateMs"/> asks, once.</summary>
    internal static Task AcknowledgeLateIfAskedAsync()
    {
        int late = Interlocked.Exchange(ref AcknowledgeNextLateMs, 0);
        return late > 0 ? Task.Delay(late, CancellationToken.None) : Task.CompletedTask;
    }

    /// <summary>Alters one byte of the fetched snapshot file at <paramref name="path"/> when a fault is pending.</summary>
    internal static void AlterIfAsked(string path)
    {
        if (Volatile.Read(ref CorruptNextReceived) <= 0 || new FileInfo(path).Length == 0 || Interlocked.Decrement(ref CorruptNextReceived) < 0)
        {
            return;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        Span<byte> one = stackalloc byte[1];
        file.Position = file.Length / 2;
        file.ReadExactly(one);
        one[0] ^= 0x5A;
        file.Position = file.Length / 2;
        file.Write(one);
    }
}
