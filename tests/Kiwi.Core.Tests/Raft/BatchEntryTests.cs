using System.Buffers;
using Kiwi.Core.Raft;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Raft;

/// <summary>The Raft log entry payload: version 2 is written (with write ids), version 1 still reads; fixed bytes.</summary>
public sealed class BatchEntryTests
{
    // version 2 | count 2 | proposal 0x0102030405060708 |
    // (length 2 | origin 0x1122334455667788 | seq 5 | "ab") (length 1 | origin 0x1122334455667788 | seq 6 | "c")
    private static readonly byte[] s_version2 =
    [
        2, 2, 0, 8, 7, 6, 5, 4, 3, 2, 1,
        2, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 5, 0, 0, 0, 0, 0, 0, 0, (byte)'a', (byte)'b',
        1, 0, 0, 0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 6, 0, 0, 0, 0, 0, 0, 0, (byte)'c',
    ];

    // version 1 | count 2 | proposal 9 | (length 2 | "ab") (length 1 | "c")
    private static readonly byte[] s_version1 =
    [
        1, 2, 0, 9, 0, 0, 0, 0, 0, 0, 0,
        2, 0, 0, 0, (byte)'a', (byte)'b',
        1, 0, 0, 0, (byte)'c',
    ];

    [Fact]
    public void Version2_IsWrittenWithEachEntrysId()
    {
        using var buffer = new ByteBuffer();
        BatchEntry.Begin(buffer, 0x0102030405060708, 2);
        BatchEntry.Add(buffer, new WriteId(0x1122334455667788, 5), "ab"u8);
        BatchEntry.Add(buffer, new WriteId(0x1122334455667788, 6), "c"u8);
        Assert.Equal(s_version2, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Version2_ReadsBackEntriesAndIds()
    {
        (ulong proposal, List<(string Entry, WriteId Id)> entries) = Read(s_version2);
        Assert.Equal(0x0102030405060708UL, proposal);
        Assert.Equal([("ab", new WriteId(0x1122334455667788, 5)), ("c", new WriteId(0x1122334455667788, 6))], entries);
    }

    [Fact]
    public void Version1_StillReads_WithoutIds()
    {
        (ulong proposal, List<(string Entry, WriteId Id)> entries) = Read(s_version1);
        Assert.Equal(9UL, proposal);
        Assert.Equal([("ab", WriteId.None), ("c", WriteId.None)], entries);
    }

    [Fact]
    public void UnknownVersions_AndCutPayloads_AreRejected()
    {
        byte[] future = (byte[])s_version2.Clone();
        future[0] = 3;
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(future));
        Assert.False(BatchEntry.TryReadHeader(ref reader, out _, out _, out _));

        // Cut inside the second entry's id.
        var cut = new SequenceReader<byte>(new ReadOnlySequence<byte>(s_version2.AsMemory(0, s_version2.Length - 10)));
        Assert.True(BatchEntry.TryReadHeader(ref cut, out byte version, out int count, out _));
        Assert.Equal(2, count);
        using var entry = new ByteBuffer();
        Assert.True(BatchEntry.TryReadEntry(ref cut, version, entry, out _));
        Assert.False(BatchEntry.TryReadEntry(ref cut, version, entry, out _));
    }

    private static (ulong Proposal, List<(string Entry, WriteId Id)> Entries) Read(byte[] payload)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(payload));
        Assert.True(BatchEntry.TryReadHeader(ref reader, out byte version, out int count, out ulong proposal));
        var entries = new List<(string, WriteId)>();
        using var entry = new ByteBuffer();
        for (int i = 0; i < count; i++)
        {
            Assert.True(BatchEntry.TryReadEntry(ref reader, version, entry, out WriteId id));
            entries.Add((System.Text.Encoding.ASCII.GetString(entry.WrittenSpan), id));
        }

        Assert.Equal(0, reader.Remaining);
        return (proposal, entries);
    }
}
