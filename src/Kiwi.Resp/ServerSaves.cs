using System.Globalization;
using System.Text;
using Kiwi.Core;

namespace Kiwi.Resp;

/// <summary>
/// SAVE and BGSAVE: a RocksDB checkpoint (hard links of the table files, so cheap) written next to the last one
/// and swapped in once complete, so <c>&lt;dir&gt;/save</c> always holds one whole checkpoint. The data itself is
/// durable through the WAL either way; a save is a consistent copy to back up. LASTSAVE and INFO persistence report
/// them as Redis reports its RDB saves.
/// </summary>
internal sealed class ServerSaves(KiwiDb db, string? directory)
{
    private readonly Lock _lock = new();
    private int _inProgress;
    private long _lastSaveUnix = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private long _appliedAtLastSave = db.AppliedIndex;
    private bool _lastOk = true;
    private long _lastSeconds = -1;
    private long _startedUnix;

    /// <summary>When the last save completed (unix seconds; the start time before any).</summary>
    public long LastSaveUnix => Interlocked.Read(ref _lastSaveUnix);

    /// <summary>True while a BGSAVE runs.</summary>
    public bool InProgress => Volatile.Read(ref _inProgress) != 0;

    /// <summary>SAVE: writes the checkpoint now; null on success, else Redis's error line.</summary>
    public string? Save()
    {
        if (Interlocked.CompareExchange(ref _inProgress, 1, 0) != 0)
        {
            return "ERR Background save already in progress";
        }

        try
        {
            return Write() ? null : "ERR";
        }
        finally
        {
            Volatile.Write(ref _inProgress, 0);
        }
    }

    /// <summary>BGSAVE: starts the checkpoint on the thread pool; null when started, else Redis's error line.</summary>
    public string? StartBackground()
    {
        if (Interlocked.CompareExchange(ref _inProgress, 1, 0) != 0)
        {
            return "ERR Background save already in progress";
        }

        _ = Task.Run(() =>
        {
            try
            {
                Write();
            }
            finally
            {
                Volatile.Write(ref _inProgress, 0);
            }
        });
        return null;
    }

    /// <summary>INFO persistence.</summary>
    public void AppendInfo(StringBuilder text)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        long started = Interlocked.Read(ref _startedUnix);
        ServerInfo.Line(text, "loading", "0");
        ServerInfo.Line(text, "async_loading", "0");
        ServerInfo.Line(text, "rdb_changes_since_last_save", Math.Max(0, db.AppliedIndex - Interlocked.Read(ref _appliedAtLastSave)).ToString(c));
        ServerInfo.Line(text, "rdb_bgsave_in_progress", InProgress ? "1" : "0");
        ServerInfo.Line(text, "rdb_last_save_time", LastSaveUnix.ToString(c));
        ServerInfo.Line(text, "rdb_last_bgsave_status", Volatile.Read(ref _lastOk) ? "ok" : "err");
        ServerInfo.Line(text, "rdb_last_bgsave_time_sec", Interlocked.Read(ref _lastSeconds).ToString(c));
        ServerInfo.Line(text, "rdb_current_bgsave_time_sec", InProgress ? (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - started).ToString(c) : "-1");
        ServerInfo.Line(text, "rdb_saves", Interlocked.Read(ref _saves).ToString(c));
        ServerInfo.Line(text, "aof_enabled", "1");
        ServerInfo.Line(text, "aof_rewrite_in_progress", "0");
        ServerInfo.Line(text, "aof_rewrite_scheduled", "0");
        ServerInfo.Line(text, "aof_last_write_status", "ok");
    }

    private long _saves;

    private bool Write()
    {
        lock (_lock)
        {
            long started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Interlocked.Exchange(ref _startedUnix, started);
            long applied = db.AppliedIndex;
            bool ok = false;
            try
            {
                if (directory is not null)
                {
                    string temp = directory + ".tmp";
                    if (Directory.Exists(temp))
                    {
                        Directory.Delete(temp, recursive: true);
                    }

                    db.Engine.Checkpoint(temp);
                    if (Directory.Exists(directory))
                    {
                        Directory.Delete(directory, recursive: true);
                    }

                    Directory.Move(temp, directory);
                    ok = true;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or Kiwi.Native.Rocks.StorageException)
            {
                ok = false;
            }

            Volatile.Write(ref _lastOk, ok);
            if (ok)
            {
                long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                Interlocked.Exchange(ref _lastSaveUnix, now);
                Interlocked.Exchange(ref _lastSeconds, now - started);
                Interlocked.Exchange(ref _appliedAtLastSave, applied);
                Interlocked.Increment(ref _saves);
            }

            return ok;
        }
    }
}
