using System.Text;
using Kiwi.Native.Memory;
using Kiwi.Native.Rocks;

namespace Kiwi.Native.Tests.Rocks;

/// <summary>
/// A damaged table file: the checksum walk finds it, and a cursor that meets the damaged block throws instead of
/// ending as if the data ended there (a SCAN or DBSIZE would have passed off part of the keys as all of them).
/// </summary>
public sealed class TableDamageTests
{
    private const int Keys = 5_000;

    private static void WriteFlushAndDamage(RocksTestDirectory dir)
    {
        using (RocksStore store = RocksTestDirectory.Open(dir.DbPath))
        using (var batch = new RocksWriteBatch())
        {
            // Random bytes: compression cannot shrink the file to a few blocks.
            var random = new Random(11);
            byte[] value = new byte[200];
            for (int i = 0; i < Keys; i++)
            {
                random.NextBytes(value);
                batch.Put(store.Column(0), Key(i), value);
            }

            store.Write(batch, sync: false);
            store.FlushMemtables();
            store.VerifyChecksums();
        }

        string table = Directory.GetFiles(dir.DbPath, "*.sst").OrderByDescending(f => new FileInfo(f).Length).First();
        using var file = new FileStream(table, FileMode.Open, FileAccess.Write);
        file.Position = file.Length / 3;
        file.Write("GARBAGEGARBAGEGARBAGE"u8);
    }

    [Fact]
    public void The_checksum_walk_finds_a_damaged_block()
    {
        using var dir = new RocksTestDirectory();
        WriteFlushAndDamage(dir);
        using RocksStore store = RocksTestDirectory.Open(dir.DbPath);
        StorageException damaged = Assert.Throws<StorageException>(store.VerifyChecksums);
        Assert.Contains("Corruption", damaged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cursor_that_meets_a_damaged_block_throws_instead_of_ending_early()
    {
        using var dir = new RocksTestDirectory();
        WriteFlushAndDamage(dir);
        using RocksStore store = RocksTestDirectory.Open(dir.DbPath);
        using RocksIterator cursor = store.CreateIterator(store.Column(0));
        int seen = 0;
        StorageException damaged = Assert.Throws<StorageException>(() =>
        {
            for (cursor.SeekToFirst(); cursor.Valid; cursor.Next())
            {
                seen++;
            }
        });
        Assert.Contains("Corruption", damaged.Message, StringComparison.Ordinal);
        Assert.InRange(seen, 1, Keys - 1);

        // A point read of a key in the damaged block fails the same way; the others still read.
        using var value = new ByteBuffer();
        Assert.Throws<StorageException>(() => store.TryGet(store.Column(0), Key(seen), value));
        Assert.True(store.TryGet(store.Column(0), Key(0), value));
    }

    private static byte[] Key(int i) => Encoding.ASCII.GetBytes($"key{i:D5}");
}
