using System.Diagnostics;
using System.Globalization;

namespace Kiwi.Bench;

/// <summary>
/// CPU time of this process and of its threads by name, for costs per operation that hold on a loaded machine
/// (throughput there says how much of the cores the process got; CPU per operation says what each one cost).
/// </summary>
internal static class ThreadCpu
{
    /// <summary>CPU seconds the whole process used so far (every thread, RocksDB's background work included).</summary>
    public static double Process()
    {
        using Process self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>CPU seconds the threads named <paramref name="name"/> used so far (Linux; NaN elsewhere).</summary>
    public static double Named(string name)
    {
        const string Tasks = "/proc/self/task";
        if (!Directory.Exists(Tasks))
        {
            return double.NaN;
        }

        long ticks = 0;
        foreach (string task in Directory.EnumerateDirectories(Tasks))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() != name)
                {
                    continue;
                }

                // After "pid (comm) ": state is field 0, utime field 11, stime field 12 (proc(5)).
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }

        return ticks / 100.0; // USER_HZ
    }
}
