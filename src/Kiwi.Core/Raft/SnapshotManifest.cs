using System.Buffers.Binary;
using System.IO.Hashing;
using System.Net;
using System.Text;

namespace Kiwi.Core.Raft;

/// <summary>
/// What a Raft snapshot transfer carries: not the data, but where to fetch it and how to check it — the
/// snapshot's position, the endpoint of the member that serves its files (<see cref="SnapshotFileServer"/>),
/// a random token that member asks for, and each file's name, size and xxHash64. The receiving node fetches
/// the files in chunks, each its own bounded request, so a transfer no longer has to fit in one Raft request.
/// Layout (little endian): <c>"KIWISNP2" | index:i64 | term:i64 | token:16 | endpointLength:u16 | endpoint
/// (UTF-8 "ip:port") | files:i32 | (nameLength:u16 | name | size:i64 | xxhash64:u64){files} | xxhash64:u64</c>,
/// the last hash over everything before it.
/// </summary>
internal sealed class SnapshotManifest
{
    /// <summary>Length of <see cref="Token"/>.</summary>
    public const int TokenSize = 16;

    private const int MaxFiles = 100_000;
    private static ReadOnlySpan<byte> Magic => "KIWISNP2"u8;

    public SnapshotManifest(long index, long term, byte[] token, IPEndPoint source, IReadOnlyList<SnapshotFile> files)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(token.Length, TokenSize);
        Index = index;
        Term = term;
        Token = token;
        Source = source;
        Files = files;
    }

    /// <summary>The snapshot's log index.</summary>
    public long Index { get; }

    /// <summary>The term of the entry at <see cref="Index"/>.</summary>
    public long Term { get; }

    /// <summary>The secret a fetch of these files must present.</summary>
    public byte[] Token { get; }

    /// <summary>Where the files are served.</summary>
    public IPEndPoint Source { get; }

    /// <summary>The checkpoint's files (flat: a checkpoint has no sub-directories).</summary>
    public IReadOnlyList<SnapshotFile> Files { get; }

    /// <summary>Total bytes of the files.</summary>
    public long TotalBytes
    {
        get
        {
            long total = 0;
            foreach (SnapshotFile file in Files)
            {
                total += file.Size;
            }

            return total;
        }
    }

    /// <summary>The manifest's bytes.</summary>
    public byte[] ToBytes()
    {
        byte[] source = Encoding.UTF8.GetBytes(Source.ToString());
        int size = Magic.Length + 8 + 8 + TokenSize + 2 + source.Length + 4 + 8;
        foreach (SnapshotFile file in Files)
        {
            size += 2 + Encoding.UTF8.GetByteCount(file.Name) + 8 + 8;
        }

        byte[] bytes = new byte[size];
        var writer = new SpanWriter(bytes);
        writer.Write(Magic);
        writer.WriteInt64(Index);
        writer.WriteInt64(Term);
        writer.Write(Token);
        writer.WriteUInt16((ushort)source.Length);
        writer.Write(source);
        writer.WriteInt32(Files.Count);
        foreach (SnapshotFile file in Files)
        {
            byte[] name = Encoding.UTF8.GetBytes(file.Name);
            writer.WriteUInt16((ushort)name.Length);
            writer.Write(name);
            writer.WriteInt64(file.Size);
            writer.WriteInt64((long)file.Hash);
        }

        writer.WriteInt64((long)XxHash64.HashToUInt64(bytes.AsSpan(0, writer.Position)));
        return bytes;
    }

    /// <summary>Reads a manifest; <see cref="InvalidDataException"/> when it is cut, altered or malformed.</summary>
    public static SnapshotManifest Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Magic.Length + 8 || !bytes[..Magic.Length].SequenceEqual(Magic))
        {
            throw new InvalidDataException("not a Kiwi.Fast snapshot manifest");
        }

        ReadOnlySpan<byte> body = bytes[..^8];
        if (XxHash64.HashToUInt64(body) != BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]))
        {
            throw new InvalidDataException("snapshot manifest checksum mismatch: the transfer was altered");
        }

        try
        {
            var reader = new SpanReader(body[Magic.Length..]);
            long index = reader.ReadInt64();
            long term = reader.ReadInt64();
            byte[] token = reader.Read(TokenSize).ToArray();
            string endpoint = Encoding.UTF8.GetString(reader.Read(reader.ReadUInt16()));
            if (!IPEndPoint.TryParse(endpoint, out IPEndPoint? source))
            {
                throw new InvalidDataException($"snapshot source '{endpoint}' is not an endpoint");
            }

            int count = reader.ReadInt32();
            if (count is < 0 or > MaxFiles)
            {
                throw new InvalidDataException($"snapshot claims {count} files");
            }

            var files = new SnapshotFile[count];
            for (int i = 0; i < count; i++)
            {
                string name = Encoding.UTF8.GetString(reader.Read(reader.ReadUInt16()));
                long size = reader.ReadInt64();
                ulong hash = (ulong)reader.ReadInt64();
                if (!SnapshotFile.IsPlainName(name) || size < 0)
                {
                    throw new InvalidDataException($"snapshot file entry '{name}' ({size} bytes) is not valid");
                }

                files[i] = new SnapshotFile(name, size, hash);
            }

            if (!reader.AtEnd)
            {
                throw new InvalidDataException("snapshot manifest has trailing bytes");
            }

            return new SnapshotManifest(index, term, token, source, files);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new InvalidDataException("snapshot manifest cut short");
        }
    }

    private ref struct SpanWriter(Span<byte> span)
    {
        private readonly Span<byte> _span = span;

        public int Position { get; private set; }

        public void Write(scoped ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_span[Position..]);
            Position += bytes.Length;
        }

        public void WriteUInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_span[Position..], value);
            Position += 2;
        }

        public void WriteInt32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_span[Position..], value);
            Position += 4;
        }

        public void WriteInt64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_span[Position..], value);
            Position += 8;
        }
    }

    private ref struct SpanReader(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> _span = span;
        private int _position;

        public readonly bool AtEnd => _position == _span.Length;

        public ReadOnlySpan<byte> Read(int length)
        {
            ReadOnlySpan<byte> bytes = _span.Slice(_position, length);
            _position += length;
            return bytes;
        }

        public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Read(2));

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Read(4));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Read(8));
    }
}

/// <summary>One file of a snapshot: its name in the checkpoint directory, its size and its xxHash64.</summary>
internal readonly record struct SnapshotFile(string Name, long Size, ulong Hash)
{
    /// <summary>True when <paramref name="name"/> names a file inside a directory, nothing else.</summary>
    public static bool IsPlainName(string name)
        => name.Length > 0 && name == Path.GetFileName(name) && name is not "." and not ".." && name.IndexOf('\0') < 0;
}
