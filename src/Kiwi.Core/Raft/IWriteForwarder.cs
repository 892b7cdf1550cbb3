using System.Net;
using Kiwi.Core.Apply;

namespace Kiwi.Core.Raft;

/// <summary>
/// Sends the writes made on a follower to the leader, which applies them and answers in their place. Core defines
/// what the Raft node needs and opens no connection itself; the protocol layer implements it (over the leader's
/// client endpoint, announced in its Raft metadata) and is handed in through
/// <see cref="KiwiRaftOptions.WriteForwarder"/>.
/// </summary>
internal interface IWriteForwarder : IAsyncDisposable
{
    /// <summary>Writes forwarded since start.</summary>
    long Forwarded { get; }

    /// <summary>
    /// Sends <paramref name="request"/> (with its write id) to <paramref name="leader"/> (its Raft endpoint) and
    /// completes it with the leader's reply, or with an error when its outcome is unknown. A
    /// <paramref name="registered"/> request is owned by the node's pending-write table: the forwarder completes it
    /// only after taking it from there (<see cref="KiwiRaftNode.TryTakePending"/>), and hands it to
    /// <see cref="KiwiRaftNode.RetryLater"/> instead of failing it when the attempt ends without an answer.
    /// </summary>
    void Forward(ApplyRequest request, EndPoint leader, bool registered);

    /// <summary>
    /// Another member now leads (<paramref name="leader"/>, its Raft endpoint): writes waiting on a connection to
    /// an earlier leader may never be answered (a paused or cut-off leader keeps its connections open), so they
    /// are ended there (retried when registered).
    /// </summary>
    void OnLeaderChanged(EndPoint leader);
}
