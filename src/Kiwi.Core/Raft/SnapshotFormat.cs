using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Kiwi.Core.Raft;

/// <summary>
/// The bytes of a snapshot on the wire: a RocksDB checkpoint directory, file by file, with its position and a
/// checksum over everything. Layout (little endian): <c>"KIWISNP1" | index:i64 | term:i64 | files:i32 |
/// (nameLength:u16 | name | size:i64 | bytes){files} | xxhash64:u64</c>. A transfer that is cut or altered
/// fails <see cref="ReadAsync"/> and leaves nothing behind.
/// </summary>
internal static class SnapshotFormat
{
    private const int ChunkSize = 256 * 1024;
    private static ReadOnlySpan<byte> Magic => "KIWISNP1"u8;

    /// <summary>Streams <paramref name="directory"/> (flat: a checkpoint has no sub-directories) to <paramref name="write"/>.</summary>
    public static async Task WriteAsync(string directory, long index, long term, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken token)
    {
        string[] files = Directory.GetFiles(directory);
        Array.Sort(files, StringComparer.Ordinal);
        var hash = new XxHash64();
        byte[] buffer = new byte[ChunkSize];

        async ValueTask Emit(ReadOnlyMemory<byte> bytes)
        {
            hash.Append(bytes.Span);
            await write(bytes, token).ConfigureAwait(false);
        }

        Magic.CopyTo(buffer);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(8), index);
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(16), term);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(24), files.Length);
        await Emit(buffer.AsMemory(0, 28)).ConfigureAwait(false);
        foreach (string file in files)
        {
            byte[] name = Encoding.UTF8.GetBytes(Path.GetFileName(file));
            var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                long size = stream.Length;
                BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)name.Length);
                name.CopyTo(buffer, 2);
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(2 + name.Length), size);
                await Emit(buffer.AsMemory(0, 2 + name.Length + 8)).ConfigureAwait(false);
                long left = size;
                while (left > 0)
                {
                    int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        throw new IOException($"{file} shrank while it was sent");
                    }

                    await Emit(buffer.AsMemory(0, n)).ConfigureAwait(false);
                    left -= n;
                }
            }
        }

        BinaryPrimitives.WriteUInt64LittleEndian(buffer, hash.GetCurrentHashAsUInt64());
        await write(buffer.AsMemory(0, 8), token).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a snapshot from <paramref name="source"/> into <paramref name="directory"/> (created; deleted again
    /// when the bytes are cut, malformed or fail the checksum, with <see cref="InvalidDataException"/>).
    /// </summary>
    public static async Task<(long Index, long Term)> ReadAsync(Stream source, string directory, CancellationToken token)
    {
        Directory.CreateDirectory(directory);
        try
        {
            var hash = new XxHash64();
            byte[] buffer = new byte[ChunkSize];
            await ReadExactlyAsync(source, buffer.AsMemory(0, 28), hash, token).ConfigureAwait(false);
            if (!buffer.AsSpan(0, 8).SequenceEqual(Magic))
            {
                throw new InvalidDataException("not a Kiwi.Fast snapshot");
            }

            long index = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(8));
            long term = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(16));
            int files = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(24));
            if (files is < 0 or > 100_000)
            {
                throw new InvalidDataException($"snapshot claims {files} files");
            }

            for (int i = 0; i < files; i++)
            {
                await ReadExactlyAsync(source, buffer.AsMemory(0, 2), hash, token).ConfigureAwait(false);
                int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer);
                await ReadExactlyAsync(source, buffer.AsMemory(0, nameLength + 8), hash, token).ConfigureAwait(false);
                string name = Encoding.UTF8.GetString(buffer, 0, nameLength);
                long size = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(nameLength));
                if (name.Length == 0 || name != Path.GetFileName(name) || name is "." or ".." || size < 0)
                {
                    throw new InvalidDataException($"snapshot file entry '{name}' ({size} bytes) is not valid");
                }

                var output = new FileStream(Path.Combine(directory, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                await using (output.ConfigureAwait(false))
                {
                    long left = size;
                    while (left > 0)
                    {
                        int n = (int)Math.Min(buffer.Length, left);
                        await ReadExactlyAsync(source, buffer.AsMemory(0, n), hash, token).ConfigureAwait(false);
                        await output.WriteAsync(buffer.AsMemory(0, n), token).ConfigureAwait(false);
                        left -= n;
                    }

                    output.Flush(flushToDisk: true);
                }
            }

            ulong expected = hash.GetCurrentHashAsUInt64();
            await source.ReadExactlyAsync(buffer.AsMemory(0, 8), token).ConfigureAwait(false);
            if (BinaryPrimitives.ReadUInt64LittleEndian(buffer) != expected)
            {
                throw new InvalidDataException("snapshot checksum mismatch: the transfer was altered");
            }

            return (index, term);
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or IOException)
        {
            Directory.Delete(directory, recursive: true);
            throw ex as InvalidDataException ?? new InvalidDataException("snapshot transfer cut short: " + ex.Message, ex);
        }
    }

    private static async Task ReadExactlyAsync(Stream source, Memory<byte> destination, XxHash64 hash, CancellationToken token)
    {
        await source.ReadExactlyAsync(destination, token).ConfigureAwait(false);
        hash.Append(destination.Span);
    }
}
