using System.Buffers.Binary;
using System.Text;

namespace Kiwi.Core.Raft;

/// <summary>
/// The wire format between <see cref="SnapshotFetcher"/> and <see cref="SnapshotFileServer"/>: one request asks
/// for one byte range of one file of one snapshot, one response carries it. Little endian.
/// Request: <c>"KSC1" | token:16 | index:i64 | offset:i64 | length:i32 | nameLength:u16 | name</c>.
/// Response: <c>status:u8 | length:i32 | bytes</c> (<see cref="Status"/>; bytes only with <see cref="Status.Ok"/>).
/// </summary>
internal static class SnapshotChunks
{
    /// <summary>Largest range one request may ask for.</summary>
    public const int MaxChunk = 4 << 20;

    /// <summary>Longest file name a request may carry.</summary>
    public const int MaxName = 1024;

    /// <summary>Bytes of a request before the name.</summary>
    public const int RequestHeaderSize = 4 + SnapshotManifest.TokenSize + 8 + 8 + 4 + 2;

    /// <summary>Bytes of a response before its data.</summary>
    public const int ResponseHeaderSize = 1 + 4;

    private static ReadOnlySpan<byte> Magic => "KSC1"u8;

    /// <summary>What the server answers.</summary>
    public enum Status : byte
    {
        /// <summary>The bytes follow.</summary>
        Ok = 0,

        /// <summary>No snapshot with that index and token is served here (gone, or never was).</summary>
        UnknownSnapshot = 1,

        /// <summary>The file is not in the snapshot, or the range is outside it.</summary>
        BadRange = 2,

        /// <summary>The request was malformed.</summary>
        BadRequest = 3,
    }

    /// <summary>Writes a request into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteRequest(Span<byte> destination, ReadOnlySpan<byte> token, long index, string name, long offset, int length)
    {
        Magic.CopyTo(destination);
        token.CopyTo(destination[4..]);
        BinaryPrimitives.WriteInt64LittleEndian(destination[20..], index);
        BinaryPrimitives.WriteInt64LittleEndian(destination[28..], offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[36..], length);
        int nameLength = Encoding.UTF8.GetBytes(name, destination[(RequestHeaderSize)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[40..], (ushort)nameLength);
        return RequestHeaderSize + nameLength;
    }

    /// <summary>Reads a request header: false when it is not one.</summary>
    public static bool TryReadRequestHeader(ReadOnlySpan<byte> header, Span<byte> token, out long index, out long offset, out int length, out int nameLength)
    {
        index = offset = 0;
        length = nameLength = 0;
        if (header.Length < RequestHeaderSize || !header[..4].SequenceEqual(Magic))
        {
            return false;
        }

        header.Slice(4, SnapshotManifest.TokenSize).CopyTo(token);
        index = BinaryPrimitives.ReadInt64LittleEndian(header[20..]);
        offset = BinaryPrimitives.ReadInt64LittleEndian(header[28..]);
        length = BinaryPrimitives.ReadInt32LittleEndian(header[36..]);
        nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[40..]);
        return offset >= 0 && length is > 0 and <= MaxChunk && nameLength is > 0 and <= MaxName;
    }

    /// <summary>Writes a response header.</summary>
    public static void WriteResponseHeader(Span<byte> destination, Status status, int length)
    {
        destination[0] = (byte)status;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], length);
    }
}
