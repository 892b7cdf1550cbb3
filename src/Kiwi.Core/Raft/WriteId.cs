using System.Security.Cryptography;

namespace Kiwi.Core.Raft;

/// <summary>
/// A client write's identity in cluster mode (the client sessions of the Raft thesis, §6.3, kept per node):
/// the node that first accepted the write from a client (<see cref="Origin"/>, random per process start) and
/// its number there (<see cref="Seq"/>, increasing from 1). Every attempt of the write carries the same id, so
/// the state machine applies it once however often it is retried (<see cref="Apply.WriteDedup"/>).
/// </summary>
internal readonly record struct WriteId(ulong Origin, ulong Seq)
{
    /// <summary>No id: standalone writes, and entries of logs written before ids existed.</summary>
    public static WriteId None => default;

    /// <summary>False for <see cref="None"/>.</summary>
    public bool IsSome => Origin != 0;

    /// <summary>A fresh origin for this process (never 0).</summary>
    public static ulong NewOrigin()
    {
        Span<byte> bytes = stackalloc byte[8];
        ulong origin;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            origin = BitConverter.ToUInt64(bytes);
        }
        while (origin == 0);

        return origin;
    }
}
