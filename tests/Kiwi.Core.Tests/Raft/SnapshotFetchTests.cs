using System.Net;
using Kiwi.Core.Raft;

namespace Kiwi.Core.Tests.Raft;

/// <summary>
/// Snapshot files fetched in chunks from a member's <see cref="SnapshotFileServer"/> over real loopback TCP: a
/// round trip, a refused token, an altered file caught, and a fetch that failed resumed without fetching again
/// what it already had.
/// </summary>
[Collection("raft-snapshots")] // SnapshotFaults.CorruptNextReceived is static: no two of these at once
public sealed class SnapshotFetchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static byte[] Content(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    private static (string Source, SnapshotFileServer Server, SnapshotManifest Manifest) Serve(TempDirectory dir, long index, params (string Name, byte[] Bytes)[] files)
    {
        string source = Path.Combine(dir.Path, "source-" + index);
        Directory.CreateDirectory(source);
        foreach ((string name, byte[] bytes) in files)
        {
            File.WriteAllBytes(Path.Combine(source, name), bytes);
        }

        SnapshotFileServer server = SnapshotFileServer.Start(new IPEndPoint(IPAddress.Loopback, 0));
        var store = new SnapshotStore(Path.Combine(dir.Path, "store-" + index), server);
        SnapshotManifest manifest = store.Manifest(new CheckpointSnapshot(index, 3, source, store));
        return (source, server, manifest);
    }

    [Fact]
    public async Task Fetch_BringsEveryFile_InChunks()
    {
        using var dir = new TempDirectory();
        (string source, SnapshotFileServer server, SnapshotManifest manifest) = Serve(dir, 10, ("000009.sst", Content(2_500_000, 1)), ("CURRENT", "MANIFEST-000005\n"u8.ToArray()), ("empty", []));
        using (server)
        {
            var fetcher = new SnapshotFetcher(Path.Combine(dir.Path, "staging"), Timeout, Timeout);
            await fetcher.FetchAsync(manifest, CancellationToken.None);
            string target = Path.Combine(dir.Path, "target");
            fetcher.MoveTo(manifest, target);

            foreach (string file in Directory.GetFiles(source))
            {
                Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(target, Path.GetFileName(file))));
            }

            Assert.Equal(manifest.TotalBytes, fetcher.BytesFetched);
            Assert.Equal(manifest.TotalBytes, server.BytesServed);
            Assert.True(server.ChunksServed >= 3, $"2.5 MB came in {server.ChunksServed} chunks");
        }
    }

    [Fact]
    public async Task WrongToken_IsRefused()
    {
        using var dir = new TempDirectory();
        (_, SnapshotFileServer server, SnapshotManifest manifest) = Serve(dir, 11, ("a.sst", Content(1000, 2)));
        using (server)
        {
            var forged = new SnapshotManifest(manifest.Index, manifest.Term, new byte[SnapshotManifest.TokenSize], manifest.Source, manifest.Files);
            var fetcher = new SnapshotFetcher(Path.Combine(dir.Path, "staging"), Timeout, Timeout);

            IOException refused = await Assert.ThrowsAsync<IOException>(() => fetcher.FetchAsync(forged, CancellationToken.None));
            Assert.Contains("UnknownSnapshot", refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, server.BytesServed);
        }
    }

    [Fact]
    public async Task AlteredFile_IsCaught_AndOnlyItIsFetchedAgain()
    {
        using var dir = new TempDirectory();
        (_, SnapshotFileServer server, SnapshotManifest manifest) = Serve(dir, 12, ("a.sst", Content(300_000, 3)), ("b.sst", Content(200_000, 4)));
        using (server)
        {
            var fetcher = new SnapshotFetcher(Path.Combine(dir.Path, "staging"), Timeout, Timeout);
            SnapshotFaults.CorruptNextReceived = 1;
            try
            {
                await Assert.ThrowsAsync<InvalidDataException>(() => fetcher.FetchAsync(manifest, CancellationToken.None));
            }
            finally
            {
                SnapshotFaults.CorruptNextReceived = 0;
            }

            Assert.Equal(300_000, fetcher.BytesFetched);
            await fetcher.FetchAsync(manifest, CancellationToken.None);
            Assert.Equal(300_000 + manifest.TotalBytes, fetcher.BytesFetched);
        }
    }

    [Fact]
    public async Task FetchCutHalfWay_Resumes_WithoutFetchingAgainWhatItHad()
    {
        using var dir = new TempDirectory();
        byte[] whole = Content(3_000_000, 5);
        (string source, SnapshotFileServer server, SnapshotManifest manifest) = Serve(dir, 13, ("a.sst", Content(100_000, 6)), ("b.sst", whole));
        using (server)
        {
            // The source loses the second half of b.sst: the fetch fails after a.sst and b.sst's first chunk.
            File.WriteAllBytes(Path.Combine(source, "b.sst"), whole[..1_500_000]);
            var fetcher = new SnapshotFetcher(Path.Combine(dir.Path, "staging"), Timeout, Timeout);
            await Assert.ThrowsAsync<IOException>(() => fetcher.FetchAsync(manifest, CancellationToken.None));
            long first = fetcher.BytesFetched;
            Assert.Equal(100_000 + SnapshotFetcher.ChunkSize, first);

            File.WriteAllBytes(Path.Combine(source, "b.sst"), whole);
            await fetcher.FetchAsync(manifest, CancellationToken.None);
            string target = Path.Combine(dir.Path, "target");
            fetcher.MoveTo(manifest, target);

            Assert.Equal(manifest.TotalBytes, fetcher.BytesFetched);
            Assert.Equal(whole, File.ReadAllBytes(Path.Combine(target, "b.sst")));
        }
    }

    [Fact]
    public async Task SourceGone_FailsTheFetch_AndLeavesNothingBehindInTheTarget()
    {
        using var dir = new TempDirectory();
        (_, SnapshotFileServer server, SnapshotManifest manifest) = Serve(dir, 14, ("a.sst", Content(1000, 7)));
        server.Dispose();
        var fetcher = new SnapshotFetcher(Path.Combine(dir.Path, "staging"), Timeout, Timeout);

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => fetcher.FetchAsync(manifest, CancellationToken.None));
        Assert.True(failure is IOException or System.Net.Sockets.SocketException, failure.ToString());
        Assert.Equal(0, fetcher.BytesFetched);
    }
}
