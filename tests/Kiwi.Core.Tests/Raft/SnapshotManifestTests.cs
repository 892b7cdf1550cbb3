using System.Net;
using Kiwi.Core.Raft;

namespace Kiwi.Core.Tests.Raft;

/// <summary>The snapshot manifest (what a Raft snapshot transfer carries): fixed bytes, a round trip, and every altered or cut copy refused.</summary>
public sealed class SnapshotManifestTests
{
    private static SnapshotManifest Sample() => new(
        1234,
        7,
        Enumerable.Range(1, SnapshotManifest.TokenSize).Select(i => (byte)i).ToArray(),
        new IPEndPoint(IPAddress.Loopback, 4567),
        [new SnapshotFile("000007.sst", 700_000, 0x1122334455667788), new SnapshotFile("CURRENT", 16, 42)]);

    [Fact]
    public void Bytes_AreFixed()
    {
        byte[] bytes = Sample().ToBytes();

        // The persisted-format rule: a change of layout shows here first.
        Assert.Equal(
            "4B495749534E5032" + "D204000000000000" + "0700000000000000" + "0102030405060708090A0B0C0D0E0F10"
            + "0E00" + Convert.ToHexString("127.0.0.1:4567"u8)
            + "02000000"
            + "0A00" + Convert.ToHexString("000007.sst"u8) + "60AE0A0000000000" + "8877665544332211"
            + "0700" + Convert.ToHexString("CURRENT"u8) + "1000000000000000" + "2A00000000000000",
            Convert.ToHexString(bytes.AsSpan(0, bytes.Length - 8)));
        Assert.Equal(System.IO.Hashing.XxHash64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 8)), System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8)));
    }

    [Fact]
    public void RoundTrip_KeepsEverything()
    {
        SnapshotManifest parsed = SnapshotManifest.Parse(Sample().ToBytes());

        Assert.Equal((1234L, 7L), (parsed.Index, parsed.Term));
        Assert.Equal(Sample().Token, parsed.Token);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 4567), parsed.Source);
        Assert.Equal(Sample().Files, parsed.Files);
        Assert.Equal(700_016, parsed.TotalBytes);
    }

    [Fact]
    public void EveryAlteredByte_IsRefused()
    {
        byte[] bytes = Sample().ToBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] altered = (byte[])bytes.Clone();
            altered[i] ^= 0x20;
            Assert.Throws<InvalidDataException>(() => SnapshotManifest.Parse(altered));
        }
    }

    [Fact]
    public void EveryCutCopy_IsRefused()
    {
        byte[] bytes = Sample().ToBytes();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => SnapshotManifest.Parse(bytes.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("sub/file")]
    [InlineData("")]
    public void FileNameOutsideTheDirectory_IsRefused(string name)
    {
        var manifest = new SnapshotManifest(1, 1, new byte[SnapshotManifest.TokenSize], new IPEndPoint(IPAddress.Loopback, 1), [new SnapshotFile(name, 1, 1)]);

        Assert.Throws<InvalidDataException>(() => SnapshotManifest.Parse(manifest.ToBytes()));
    }
}
