using System.Text;

namespace Kiwi.Core.Tests;

/// <summary>
/// A fresh RocksDB-backed <see cref="KiwiDb"/> per test (xUnit creates one class instance per test) on a
/// manual clock, with the active expiry cycle and the collection cleanup off so nothing changes behind the test's back.
/// </summary>
public abstract class KiwiDbTestBase : IDisposable
{
    /// <summary>A whole second, so second-based expiry times are exact.</summary>
    protected const long StartMs = 1_700_000_000_000;

    private readonly TempDirectory _directory = new();

    protected KiwiDbTestBase()
    {
        Clock = new ManualClock(StartMs);
        Db = KiwiDb.Open(Options(_directory.Path, Clock));
    }

    internal ManualClock Clock { get; }

    protected KiwiDb Db { get; private set; }

    protected string DirectoryPath => _directory.Path;

    public void Dispose()
    {
        Db.Dispose();
        _directory.Dispose();
        GC.SuppressFinalize(this);
    }

    internal static KiwiDbOptions Options(string path, ManualClock clock) => new()
    {
        Path = path,
        Clock = clock,
        ActiveExpiry = false,
        CollectionCleanup = false,
        BlockCacheBytes = 8L * 1024 * 1024,
    };

    /// <summary>Closes the database and opens it again over the same directory.</summary>
    protected void Reopen()
    {
        Db.Dispose();
        Db = KiwiDb.Open(Options(_directory.Path, Clock));
    }

    protected static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Awaits a value, decodes it (null for nil) and returns its memory to the pool.</summary>
    protected static async Task<string?> Text(ValueTask<KiwiValue> pending)
    {
        using KiwiValue value = await pending;
        return value.ToString();
    }

    /// <summary>Asserts an MGET result element by element (nil as null).</summary>
    protected static void AssertValues(string?[] actual, params string?[] expected)
        => Assert.Equal(expected, actual, StringComparer.Ordinal);

    /// <summary>The Redis error text of the <see cref="KiwiException"/> the action throws (synchronously or not).</summary>
    protected static async Task<string> ErrorOf(Func<Task> action)
        => (await Assert.ThrowsAsync<KiwiException>(action)).Message;
}
