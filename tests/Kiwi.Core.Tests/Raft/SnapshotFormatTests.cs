using Kiwi.Core.Raft;

namespace Kiwi.Core.Tests.Raft;

/// <summary>The snapshot transfer format: a round trip keeps every file; a cut or altered transfer is rejected.</summary>
public sealed class SnapshotFormatTests
{
    private static async Task<byte[]> EncodeAsync(string directory, long index, long term)
    {
        var output = new MemoryStream();
        await SnapshotFormat.WriteAsync(directory, index, term, (bytes, token) => output.WriteAsync(bytes, token), CancellationToken.None);
        return output.ToArray();
    }

    private static string MakeSource(TempDirectory dir)
    {
        string source = Path.Combine(dir.Path, "source");
        Directory.CreateDirectory(source);
        File.WriteAllBytes(Path.Combine(source, "000007.sst"), Enumerable.Range(0, 700_000).Select(i => (byte)(i * 31)).ToArray());
        File.WriteAllText(Path.Combine(source, "CURRENT"), "MANIFEST-000005\n");
        File.WriteAllBytes(Path.Combine(source, "empty"), []);
        return source;
    }

    [Fact]
    public async Task RoundTrip_KeepsEveryFileAndThePosition()
    {
        using var dir = new TempDirectory();
        string source = MakeSource(dir);
        byte[] wire = await EncodeAsync(source, 1234, 7);
        string target = Path.Combine(dir.Path, "target");

        (long index, long term) = await SnapshotFormat.ReadAsync(new MemoryStream(wire), target, CancellationToken.None);

        Assert.Equal((1234L, 7L), (index, term));
        foreach (string file in Directory.GetFiles(source))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(target, Path.GetFileName(file))));
        }

        Assert.Equal(3, Directory.GetFiles(target).Length);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(100)]
    [InlineData(400_000)]
    public async Task AlteredByte_IsRejected_AndLeavesNothing(int position)
    {
        using var dir = new TempDirectory();
        byte[] wire = await EncodeAsync(MakeSource(dir), 1, 1);
        wire[position] ^= 0x40;
        string target = Path.Combine(dir.Path, "target");

        await Assert.ThrowsAsync<InvalidDataException>(() => SnapshotFormat.ReadAsync(new MemoryStream(wire), target, CancellationToken.None));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task CutTransfer_IsRejected_AndLeavesNothing()
    {
        using var dir = new TempDirectory();
        byte[] wire = await EncodeAsync(MakeSource(dir), 1, 1);
        string target = Path.Combine(dir.Path, "target");

        await Assert.ThrowsAsync<InvalidDataException>(() => SnapshotFormat.ReadAsync(new MemoryStream(wire[..(wire.Length / 2)]), target, CancellationToken.None));
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task FileNameEscapingTheDirectory_IsRejected()
    {
        using var dir = new TempDirectory();
        string source = Path.Combine(dir.Path, "src");
        Directory.CreateDirectory(source);
        File.WriteAllText(Path.Combine(source, "aaaaaa"), "x");
        byte[] wire = await EncodeAsync(source, 1, 1);

        // Rewrite the 6-byte name "aaaaaa" as "../abc" (the checksum is then wrong too; either check rejects it).
        int at = 28 + 2;
        "../abc"u8.CopyTo(wire.AsSpan(at));
        string target = Path.Combine(dir.Path, "target");
        await Assert.ThrowsAsync<InvalidDataException>(() => SnapshotFormat.ReadAsync(new MemoryStream(wire), target, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(dir.Path, "abc")));
    }
}
