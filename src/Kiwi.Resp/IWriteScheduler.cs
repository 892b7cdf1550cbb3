using Kiwi.Core;

namespace Kiwi.Resp;

/// <summary>
/// Decides when the writes a session published on a socket's I/O thread are applied. The transport knows when
/// that thread has handled every connection that was ready (the end of an event-loop wave, when Redis writes
/// its AOF); applying then makes one storage write for all of them instead of one per client.
/// </summary>
internal interface IWriteScheduler
{
    /// <summary>
    /// Called on the I/O thread after a session published writes; they must be applied soon after, on this
    /// thread (<see cref="KiwiDb.ApplyPublishedHere"/>) or elsewhere. Cheap when already scheduled.
    /// </summary>
    void Schedule();
}
