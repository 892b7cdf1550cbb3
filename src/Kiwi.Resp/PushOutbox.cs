using Kiwi.Native.Memory;

namespace Kiwi.Resp;

/// <summary>
/// Messages published to a subscribed client from other threads, waiting for its session to write them out. Publishers
/// append under a short lock and never wait; the session takes everything at once by swapping buffers
/// (<see cref="TryTake"/>), so a publisher is never held up by the copy to the connection. The pub/sub output limit
/// (<c>client-output-buffer-limit pubsub</c>) is checked on every append against what waits here plus what the
/// session has handed to the connection and the client has not taken yet: past the hard limit, or past the soft
/// limit for longer than its seconds, the client is cut off (its messages dropped) and the others go on.
/// </summary>
internal sealed class PushOutbox : IDisposable
{
    private readonly Lock _lock = new();
    private ByteBuffer _filling = new();
    private ByteBuffer? _spare = new();
    private long _inConnection;
    private long _softSinceMs;
    private bool _cutOff;

    /// <summary>What <see cref="Append"/> did.</summary>
    public enum AppendResult : byte
    {
        /// <summary>Queued behind messages the session has not taken yet: it is awake already.</summary>
        Queued,

        /// <summary>The first message since the session last took them: wake it.</summary>
        Wake,

        /// <summary>The client passed its limit with this message: cut it off.</summary>
        CutOff,

        /// <summary>The client was cut off before: dropped.</summary>
        Dropped,
    }

    /// <summary>Bytes waiting here.</summary>
    public int Length
    {
        get
        {
            lock (_lock)
            {
                return _filling.Length;
            }
        }
    }

    /// <summary>Appends one push (its RESP2 frame; '>' replaces its first byte for a RESP3 client).</summary>
    public AppendResult Append(ReadOnlySpan<byte> frame, bool resp3, OutputLimit limit)
    {
        lock (_lock)
        {
            if (_cutOff)
            {
                return AppendResult.Dropped;
            }

            long total = _filling.Length + _inConnection + frame.Length;
            if (OverLimit(total, limit))
            {
                _cutOff = true;
                _filling.Clear();
                return AppendResult.CutOff;
            }

            bool wasEmpty = _filling.Length == 0;
            int start = _filling.Length;
            _filling.Write(frame);
            if (resp3)
            {
                _filling.WrittenSpanMutable[start] = (byte)'>';
            }

            return wasEmpty ? AppendResult.Wake : AppendResult.Queued;
        }
    }

    /// <summary>
    /// Session: takes every waiting message (give the buffer back with <see cref="Return"/> once copied); false when
    /// none waits.
    /// </summary>
    public bool TryTake(out ByteBuffer taken)
    {
        lock (_lock)
        {
            if (_filling.Length == 0 || _spare is null)
            {
                taken = null!;
                return false;
            }

            taken = _filling;
            _filling = _spare;
            _spare = null;
            _inConnection += taken.Length;
            return true;
        }
    }

    /// <summary>Session: the buffer <see cref="TryTake"/> gave is copied to the connection.</summary>
    public void Return(ByteBuffer taken)
    {
        taken.Clear();
        lock (_lock)
        {
            _spare = taken;
        }
    }

    /// <summary>Session: the connection took what was handed to it (a flush completed).</summary>
    public void Flushed()
    {
        lock (_lock)
        {
            _inConnection = 0;
        }
    }

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _cutOff = true;
            _filling.Dispose();
            _spare?.Dispose();
        }
    }

    // Redis's checkClientOutputBufferLimits: the hard limit at once; the soft one when held past its seconds.
    private bool OverLimit(long total, OutputLimit limit)
    {
        if (limit.HardBytes > 0 && total >= limit.HardBytes)
        {
            return true;
        }

        if (limit.SoftBytes > 0 && total >= limit.SoftBytes)
        {
            long now = Environment.TickCount64;
            if (_softSinceMs == 0)
            {
                _softSinceMs = now;
                return false;
            }

            return now - _softSinceMs > limit.SoftSeconds * 1000L;
        }

        _softSinceMs = 0;
        return false;
    }
}
