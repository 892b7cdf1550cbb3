using System.Runtime.CompilerServices;

namespace Kiwi.Core.Tests;

/// <summary>
/// The test host keeps pool threads blocked for the whole run (the VSTest socket loop polls on one, the xUnit
/// adapter waits on another). On a 2-core machine that leaves the pool at its minimum of two threads with both
/// taken, and work queued behind them waits for the runtime's starvation injection: about half a second per new
/// thread. Raft heartbeats queued there arrive late and followers call elections. Measured: pauses of 1 s with
/// work pending and nothing completing. A production host has no such blocked threads; the tests get the
/// headroom a real one would have.
/// </summary>
internal static class ThreadPoolSetup
{
    [ModuleInitializer]
    internal static void Init()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        ThreadPool.SetMinThreads(Math.Max(workers, 16), Math.Max(io, 16));
    }
}
