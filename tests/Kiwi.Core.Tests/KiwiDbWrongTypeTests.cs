using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests;

/// <summary>
/// String commands against a key of another type. Collections arrive with later issues, so the test writes a
/// hash's meta record straight into the engine, exactly as the hash commands will.
/// </summary>
public sealed class KiwiDbWrongTypeTests : IDisposable
{
    private const string WrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
    private readonly TempDirectory _directory = new();
    private readonly RocksEngine _engine;
    private readonly KiwiDb _db;

    public KiwiDbWrongTypeTests()
    {
        _engine = RocksEngine.Open(_directory.Path);
        _db = KiwiDb.Open(_engine, new KiwiDbOptions { Path = _directory.Path, ActiveExpiry = false });
        using var writes = new WriteSet();
        using var key = new ByteBuffer();
        Span<byte> record = writes.Reserve(KeySpace.Meta, KeyCodec.Meta(key, 0, "h"u8), MetaValue.HeaderSize + 16);
        MetaValue.WriteHeader(record, KeyType.Hash, 0);
        _engine.Commit(writes, sync: false);
    }

    public void Dispose()
    {
        _db.Dispose();
        _engine.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task EveryStringCommand_RepliesWrongType_AndLeavesTheKeyAlone()
    {
        Assert.Equal(KeyType.Hash, _db.Type("h"));
        Assert.Equal(WrongType, Assert.Throws<KiwiException>(() => _db.GetString("h")).Message);
        Assert.Equal(WrongType, Assert.Throws<KiwiException>(() => _db.StrLen("h")).Message);
        Assert.Equal(WrongType, Assert.Throws<KiwiException>(() => _db.GetRange("h", 0, -1)).Message);

        var writes = new Func<Task>[]
        {
            async () => (await _db.SetGetAsync("h"u8, "v"u8)).Dispose(),
            async () => (await _db.GetSetAsync("h", "v")).Dispose(),
            async () => (await _db.GetDelAsync("h")).Dispose(),
            async () => (await _db.GetExAsync("h", KiwiExpiry.Seconds(10))).Dispose(),
            async () => (await _db.GetExAsync("h", KiwiExpiry.Persist)).Dispose(),
            async () => await _db.AppendAsync("h", "v"),
            async () => await _db.SetRangeAsync("h", 0, "v"),
            async () => await _db.IncrAsync("h"),
            async () => await _db.DecrByAsync("h", 2),
            async () => (await _db.IncrByFloatAsync("h", "1.5")).Dispose(),
        };
        foreach (Func<Task> write in writes)
        {
            KiwiException error = await Assert.ThrowsAsync<KiwiException>(write);
            Assert.Equal(WrongType, error.Message);
            Assert.Equal(KeyType.Hash, _db.Type("h"));
        }

        // WRONGTYPE comes before an invalid float increment, as in Redis.
        Assert.Equal(WrongType, (await Assert.ThrowsAsync<KiwiException>(() => _db.IncrByFloatAsync("h", "abc").AsTask())).Message);
    }

    [Fact]
    public async Task KeyCommands_WorkOnAnyType_AndSetReplacesIt()
    {
        Assert.Equal(1, _db.Exists("h"));
        Assert.Null(Assert.Single(_db.MGet("h")));
        Assert.False(await _db.SetNxAsync("h", "v"));
        Assert.False(await _db.MSetNxAsync(("h", "v"), ("other", "v")));
        Assert.Null(_db.GetString("other"));
        Assert.True(await _db.ExpireAsync("h", 100));

        // TTL rounds to the nearest second: 99 once more than half a second passed since the EXPIRE (a loaded machine).
        Assert.InRange(_db.Ttl("h"), 99, 100);
        Assert.True(await _db.PersistAsync("h"));
        Assert.Equal(KeyType.Hash, _db.Type("h"));

        Assert.True(await _db.SetAsync("h", "now a string"));
        Assert.Equal(KeyType.String, _db.Type("h"));
        Assert.Equal("now a string", _db.GetString("h"));
        Assert.Equal(1, await _db.DelAsync("h"));
        Assert.Equal(KeyType.None, _db.Type("h"));
    }
}
