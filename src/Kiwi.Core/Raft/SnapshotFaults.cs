namespace Kiwi.Core.Raft;

/// <summary>
/// Fault injection for tests: alters snapshot transfers as they arrive, as a bad link would. The fault is
/// applied on the receiving side, once the whole transfer is in, so a transfer that is cut short by a
/// reconnect does not use it up: each one injected is seen by exactly one check.
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

    /// <summary>Alters one content byte of the received transfer in <paramref name="file"/> when a fault is pending.</summary>
    internal static void AlterIfAsked(FileStream file)
    {
        if (Volatile.Read(ref CorruptNextReceived) <= 0 || Interlocked.Decrement(ref CorruptNextReceived) < 0)
        {
            return;
        }

        // The byte before the 8-byte checksum belongs to the last file's content (never a header: the last
        // file of a checkpoint is OPTIONS-*, never empty), so the checksum is what catches it.
        long at = file.Length - 9;
        if (at < 0)
        {
            return;
        }

        Span<byte> one = stackalloc byte[1];
        file.Position = at;
        file.ReadExactly(one);
        one[0] ^= 0x5A;
        file.Position = at;
        file.Write(one);
        file.Flush();
    }
}
