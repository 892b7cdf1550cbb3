using System.Diagnostics;

namespace Kiwi.Jepsen.Tests.Storage;

/// <summary>
/// A tmpfs of a fixed size mounted on a directory this test made (needs root, as these machines give), so the
/// disk can be filled for real; unmounted and removed on dispose.
/// </summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    /// <summary>The mounted directory.</summary>
    public string Path { get; }

    public static TmpfsMount Create(int megabytes)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kiwi-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        return new TmpfsMount(path);
    }

    /// <summary>Bytes still free on the mount.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Writes a file of zeros that leaves about <paramref name="leaveBytes"/> free; returns its path.</summary>
    public string Fill(long leaveBytes)
    {
        string filler = System.IO.Path.Combine(Path, "filler");
        long size = FreeBytes - leaveBytes;
        using var file = new FileStream(filler, FileMode.CreateNew, FileAccess.Write);
        byte[] block = new byte[1 << 20];
        for (long written = 0; written < size; written += block.Length)
        {
            file.Write(block, 0, (int)Math.Min(block.Length, size - written));
        }

        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        Directory.Delete(Path);
    }

    private static void Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed: {error}");
        }
    }
}
