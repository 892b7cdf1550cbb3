using System.Text;
using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Tests;

/// <summary>What a storage engine holds underneath KiwiDb, for tests of what the background passes delete.</summary>
internal static class RawStore
{
    /// <summary>True when database 0 holds a meta record for <paramref name="key"/>, expired or not.</summary>
    public static bool Stored(IStorageEngine engine, string key)
    {
        using var keyBuffer = new ByteBuffer();
        using var value = new ByteBuffer();
        return engine.TryGet(KeySpace.Meta, KeyCodec.Meta(keyBuffer, 0, Encoding.UTF8.GetBytes(key)), value);
    }

    /// <summary>Entries in the expiry index.</summary>
    public static int ExpiryIndexEntries(IStorageEngine engine)
    {
        using IStorageCursor cursor = engine.OpenCursor(KeySpace.Expire);
        int count = 0;
        for (cursor.Seek(default); cursor.Valid; cursor.Next())
        {
            count++;
        }

        return count;
    }
}
