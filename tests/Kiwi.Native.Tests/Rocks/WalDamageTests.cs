using System.Text;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Native.Tests.Rocks;

/// <summary>
/// A damaged write-ahead log: bytes changed in its middle refuse the open (never a store that silently lacks
/// what came after the damage), a last record cut short (a write in progress when the machine lost power) is
/// dropped and everything before it opens.
/// </summary>
public sealed class WalDamageTests
{
    private const int Writes = 2_000;

    // Writes one batch per key (each a WAL record) and closes without flushing: every key lives only in the WAL.
    private static string WriteAndClose(RocksTestDirectory dir)
    {
        using (RocksStore store = RocksTestDirectory.Open(dir.DbPath))
        using (var batch = new RocksWriteBatch())
        {
            for (int i = 0; i < Writes; i++)
            {
                batch.Clear();
                batch.Put(store.Column(0), Key(i), Encoding.ASCII.GetBytes(new string('v', 100)));
                store.Write(batch, sync: false);
            }
        }

        string[] logs = Directory.GetFiles(dir.DbPath, "*.log");
        Assert.Single(logs);
        return logs[0];
    }

    [Fact]
    public void Bytes_changed_in_the_middle_of_the_wal_refuse_the_open()
    {
        using var dir = new RocksTestDirectory();
        string wal = WriteAndClose(dir);
        using (var file = new FileStream(wal, FileMode.Open, FileAccess.Write))
        {
            file.Position = file.Length / 2;
            file.Write("GARBAGEGARBAGEGARBAGE"u8);
        }

        StorageException refused = Assert.Throws<StorageException>(() => RocksTestDirectory.Open(dir.DbPath));
        Assert.Contains("Corruption", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_last_record_cut_short_is_dropped_and_every_earlier_write_opens()
    {
        using var dir = new RocksTestDirectory();
        string wal = WriteAndClose(dir);
        using (var file = new FileStream(wal, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(file.Length - 50);
        }

        using RocksStore store = RocksTestDirectory.Open(dir.DbPath);
        using var value = new ByteBuffer();
        for (int i = 0; i < Writes - 1; i++)
        {
            Assert.True(store.TryGet(store.Column(0), Key(i), value), $"key {i} lost");
        }

        Assert.False(store.TryGet(store.Column(0), Key(Writes - 1), value));
    }

    private static byte[] Key(int i) => Encoding.ASCII.GetBytes($"key{i:D5}");
}
