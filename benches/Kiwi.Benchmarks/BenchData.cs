using System.Buffers.Binary;
using Kiwi.Core;

namespace Kiwi.Benchmarks;

/// <summary>Keys, values and scratch directories shared by the benchmarks.</summary>
internal static class BenchData
{
    /// <summary>Bytes per key.</summary>
    public const int KeySize = 16;

    /// <summary>Bytes per value.</summary>
    public const int ValueSize = 32;

    /// <summary>
    /// <paramref name="count"/> distinct 16-byte keys laid end to end: a mixed 8-byte prefix (spreads them
    /// over the key space) and the index itself (makes them unique).
    /// </summary>
    public static byte[] MakeKeys(int count)
    {
        byte[] keys = new byte[count * KeySize];
        for (int i = 0; i < count; i++)
        {
            ulong mixed = (ulong)i * 0x9E3779B97F4A7C15UL;
            BinaryPrimitives.WriteUInt64BigEndian(keys.AsSpan(i * KeySize), mixed);
            BinaryPrimitives.WriteUInt64BigEndian(keys.AsSpan((i * KeySize) + 8), (ulong)i);
        }

        return keys;
    }

    /// <summary>A value of <see cref="ValueSize"/> fixed pseudo-random bytes.</summary>
    public static byte[] MakeValue()
    {
        byte[] value = new byte[ValueSize];
        new Random(42).NextBytes(value);
        return value;
    }

    /// <summary>A fresh empty directory under the temp directory, unique to this process and <paramref name="name"/>.</summary>
    public static string CreateTempDirectory(string name)
    {
        string path = Path.Combine(Path.GetTempPath(), $"kiwi-benchmarks-{name}-{Environment.ProcessId}");
        DeleteDirectory(path);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes <paramref name="path"/> and everything under it, if it exists.</summary>
    public static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>
    /// Options for a benchmark database: the background expiry cycle is off (no key here expires, and its
    /// timer would be counted against the measured operations).
    /// </summary>
    public static KiwiDbOptions Options(string path) => new() { Path = path, ActiveExpiry = false };

    /// <summary>Writes every key once so reads hit and overwrites find an existing record.</summary>
    public static void Populate(KiwiDb db, byte[] keys, byte[] value)
    {
        for (int i = 0; i < keys.Length / KeySize; i++)
        {
            db.SetAsync(keys.AsSpan(i * KeySize, KeySize), value).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Batch statistics of the writer since (<paramref name="batches0"/>, <paramref name="entries0"/>), for the log.</summary>
    public static string BatchReport(KiwiDb db, long batches0, long entries0)
    {
        long batches = db.BatchesWritten - batches0;
        long entries = db.EntriesApplied - entries0;
        return $"batches written {batches}, entries applied {entries}, average batch {entries / (double)Math.Max(1, batches):F1}";
    }
}
