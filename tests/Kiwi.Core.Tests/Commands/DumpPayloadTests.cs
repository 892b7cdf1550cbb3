using Kiwi.Core.Commands;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests.Commands;

/// <summary>The DUMP payload: a persisted format (clients keep payloads), pinned byte for byte, and its checks.</summary>
public sealed class DumpPayloadTests
{
    [Fact]
    public void Crc64_IsCrc64Xz()
    {
        Assert.Equal(0x995DC9BBDF1939FAUL, Crc64.Compute("123456789"u8));
    }

    [Fact]
    public void StringPayload_HasFixedBytes_WithTheExpiryZeroed()
    {
        byte[] record = new byte[MetaValue.HeaderSize + 2];
        MetaValue.WriteHeader(record, KeyType.String, expireAtMs: 123_456);
        "hi"u8.CopyTo(record.AsSpan(MetaValue.HeaderSize));
        using var output = new ByteBuffer();

        DumpPayload.Begin(output, record);
        DumpPayload.End(output);

        Assert.Equal(Convert.FromHexString("4B4401010B000000010000000000000000686900000000" + "0A4F9293339A5546"), output.WrittenSpan.ToArray());
        Assert.True(DumpPayload.HasValidChecksum(output.WrittenSpan));
        Assert.True(DumpPayload.IsWellFormed(output.WrittenSpan));
    }

    [Fact]
    public void HashPayload_HasFixedBytes_WithTheVersionZeroed()
    {
        byte[] record = new byte[MetaValue.CollectionHeaderSize];
        MetaValue.WriteCollectionHeader(record, KeyType.Hash, expireAtMs: 99, version: 0xABCDEF, count: 1, CollectionEncoding.Compact);
        using var output = new ByteBuffer();

        DumpPayload.Begin(output, record);
        DumpPayload.AddMember(output, DumpPayload.CountOffset(record), "f"u8, "v"u8);
        DumpPayload.End(output);

        Assert.Equal(
            Convert.FromHexString("4B4401021A00000012000000000000000000000000000000000100000000000000000100000001000000660100000076" + "1E3CC3FB49357D63"),
            output.WrittenSpan.ToArray());
        var reader = new DumpPayload.Reader(output.WrittenSpan);
        Assert.Equal(1u, reader.MemberCount);
        Assert.True(reader.TryNext(out ReadOnlySpan<byte> member, out ReadOnlySpan<byte> value));
        Assert.Equal("f"u8.ToArray(), member.ToArray());
        Assert.Equal("v"u8.ToArray(), value.ToArray());
        Assert.False(reader.TryNext(out _, out _));
        Assert.True(reader.AtEnd);
    }

    [Fact]
    public void AnyChangedByte_FailsTheChecksum()
    {
        byte[] payload = Convert.FromHexString("4B4401010B000000010000000000000000686900000000" + "0A4F9293339A5546");
        for (int i = 0; i < payload.Length; i++)
        {
            byte[] tampered = (byte[])payload.Clone();
            tampered[i] ^= 0x20;
            Assert.False(DumpPayload.HasValidChecksum(tampered), $"byte {i}");
        }

        Assert.False(DumpPayload.HasValidChecksum("short"u8));
        Assert.False(DumpPayload.HasValidChecksum(payload.AsSpan(0, payload.Length - 1)));
    }

    [Fact]
    public void ChecksummedButMalformed_IsNotWellFormed()
    {
        // A string record claiming one member, with a valid checksum: the checksum alone does not make it restorable.
        using var output = new ByteBuffer();
        byte[] record = new byte[MetaValue.HeaderSize + 1];
        MetaValue.WriteHeader(record, KeyType.String, 0);
        DumpPayload.Begin(output, record);
        DumpPayload.AddMember(output, DumpPayload.CountOffset(record), "m"u8, "v"u8);
        DumpPayload.End(output);

        Assert.True(DumpPayload.HasValidChecksum(output.WrittenSpan));
        Assert.False(DumpPayload.IsWellFormed(output.WrittenSpan));
    }
}
