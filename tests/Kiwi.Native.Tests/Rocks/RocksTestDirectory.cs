using Kiwi.Native.Rocks;

namespace Kiwi.Native.Tests.Rocks;

/// <summary>A unique temporary directory, deleted on dispose, with helpers to open stores inside it.</summary>
internal sealed class RocksTestDirectory : IDisposable
{
    public static readonly string[] Families = ["a", "b"];

    public RocksTestDirectory()
    {
        Root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kiwi-native-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        DbPath = System.IO.Path.Combine(Root, "db");
    }

    public string Root { get; }

    public string DbPath { get; }

    public static RocksStore Open(string path) =>
        RocksStore.Open(new RocksStoreOptions { Path = path, ColumnFamilies = Families });

    public string Sub(string name) => System.IO.Path.Combine(Root, name);

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
