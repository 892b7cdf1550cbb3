namespace Kiwi.Core.Apply;

internal sealed partial class ApplyWorker
{
    /// <summary>True while the writer thread runs (false before <see cref="Start"/> and once it stopped or died).</summary>
    public bool IsRunning => _thread.IsAlive;
}
