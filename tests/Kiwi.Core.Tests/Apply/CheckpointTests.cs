using System.Globalization;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Tests.Apply;

/// <summary>
/// Checkpoints taken by the writer between two batches (the ground of Raft snapshots): the copy holds exactly
/// the position reported, even with writes in flight.
/// </summary>
public sealed class CheckpointTests
{
    [Fact]
    public async Task Checkpoint_WithWritesInFlight_HoldsExactlyTheReportedPosition()
    {
        using var dir = new TempDirectory();
        string data = Path.Combine(dir.Path, "db");
        string copy = Path.Combine(dir.Path, "checkpoint");
        (long Index, long Term) position;
        using (KiwiDb db = KiwiDb.Open(new KiwiDbOptions { Path = data, ActiveExpiry = false }))
        {
            var writes = new List<Task<long>>();
            for (int i = 0; i < 1000; i++)
            {
                writes.Add(db.IncrAsync("n").AsTask());
            }

            Task<(long, long)> checkpoint = db.CheckpointAsync(copy);
            for (int i = 0; i < 1000; i++)
            {
                writes.Add(db.IncrAsync("n").AsTask());
            }

            await Task.WhenAll(writes);
            position = await checkpoint;
            Assert.InRange(position.Index, 1000, 2000);
            Assert.Equal("2000", db.GetString("n"));
        }

        // Standalone, every INCR took one index: the copy's counter is its applied index.
        using KiwiDb restored = KiwiDb.Open(new KiwiDbOptions { Path = copy, ActiveExpiry = false });
        Assert.Equal(position.Index, restored.AppliedIndex);
        Assert.Equal(position.Index.ToString(CultureInfo.InvariantCulture), restored.GetString("n"));
    }

    [Fact]
    public async Task Checkpoint_OnAnEngineThatCannot_FailsAndTheWriterKeepsServing()
    {
        using KiwiDb db = KiwiDb.Open(new MemoryEngine(), new KiwiDbOptions { Path = "unused", ActiveExpiry = false });
        KiwiException error = await Assert.ThrowsAsync<KiwiException>(() => db.CheckpointAsync("/nonexistent/checkpoint"));
        Assert.Contains("cannot write checkpoints", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await db.IncrAsync("n"));
    }

    [Fact]
    public async Task Checkpoint_IntoAnExistingDirectory_FailsWithTheStorageError()
    {
        using var dir = new TempDirectory();
        using KiwiDb db = KiwiDb.Open(new KiwiDbOptions { Path = Path.Combine(dir.Path, "db"), ActiveExpiry = false });
        Assert.Equal(1, await db.IncrAsync("n"));
        string taken = Path.Combine(dir.Path, "taken");
        Directory.CreateDirectory(taken);
        await Assert.ThrowsAsync<KiwiException>(() => db.CheckpointAsync(taken));
        Assert.Equal(2, await db.IncrAsync("n"));
    }
}
