using Kiwi.Core.Storage;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Apply;

/// <content>
/// Committed list elements read downwards (RPOP's direction: each read the element right below the last) come from a
/// window read upwards. Stepping a RocksDB iterator backwards costs several times a step forwards: each Prev searches
/// the memtable's skip list from its top for the key before, and finds the newest version of each key by walking
/// back over them (perf, RPOP -P 16: <c>DBIter::Prev</c> 17% of the writer thread). So when a read is the element
/// right below the last one, the writer seeks once to a window's lowest element and reads up to the element asked
/// for, and answers the next reads down from what it holds. The window covers 8 elements, then twice as many each
/// time the same list goes on down under the same commit count, up to 128; it holds at most 64 KiB of values
/// (bigger elements: the cursor steps back as before). It is valid only while the engine's commit count stays the
/// one it was read at, like the kept cursors (<see cref="LeaseCursor"/>).
/// </content>
internal sealed partial class ApplyContext
{
    private const int MinElementWindow = 8;
    private const int MaxElementWindow = 128;
    private const int ElementWindowBytes = 64 * 1024;

    private readonly ByteBuffer _windowPrefix = new();
    private readonly ByteBuffer _windowKey = new();
    private readonly ByteBuffer _windowValues = new();
    private readonly int[] _windowStarts = new int[MaxElementWindow];
    private readonly int[] _windowLengths = new int[MaxElementWindow];
    private long _windowCommits = -1;
    private long _windowRefusedCommits = -1;
    private ulong _windowLow;
    private int _windowSpan;

    // Answers `dataKey`, the element right below the last one read, from the window (filled when it does not cover
    // it): true when answered (`found` says whether the element exists), false when the caller must step the cursor.
    private bool TryReadFromWindow(ReadOnlySpan<byte> dataKey, long commits, ByteBuffer value, out bool found)
    {
        found = false;
        if (commits < 0 || commits == _windowRefusedCommits)
        {
            return false;
        }

        int prefixLength = dataKey.Length - ListMeta.SeqSize;
        ReadOnlySpan<byte> prefix = dataKey[..prefixLength];
        ulong seq = ListMeta.ReadSeq(dataKey[prefixLength..]);
        bool sameList = commits == _windowCommits && prefix.SequenceEqual(_windowPrefix.WrittenSpan);
        if (!sameList || seq < _windowLow || seq - _windowLow >= (ulong)_windowSpan)
        {
            // Going on down the same list: a window twice as big as the last.
            int span = sameList && seq + 1 == _windowLow ? Math.Min(_windowSpan * 2, MaxElementWindow) : MinElementWindow;
            if (!FillWindow(prefix, seq, span, commits))
            {
                _windowRefusedCommits = commits;
                return false;
            }
        }

        int index = (int)(seq - _windowLow);
        int length = _windowLengths[index];
        if (length < 0)
        {
            value.Clear();
            return true;
        }

        value.Set(_windowValues.WrittenSpan.Slice(_windowStarts[index], length));
        found = true;
        return true;
    }

    // Reads the committed elements from `top - span + 1` up to `top` of the list under `prefix`; false (and no
    // window) when their values pass the window's byte limit.
    private bool FillWindow(ReadOnlySpan<byte> prefix, ulong top, int span, long commits)
    {
        ulong low = top >= (ulong)(span - 1) ? top - (ulong)(span - 1) : 0;
        span = (int)(top - low) + 1;
        _windowCommits = -1;
        _windowPrefix.Set(prefix);
        _windowValues.Clear();
        Array.Fill(_windowLengths, -1, 0, span);
        _windowKey.Set(prefix);
        ListMeta.WriteSeq(_windowKey.GetSpan(ListMeta.SeqSize), low);
        _windowKey.Advance(ListMeta.SeqSize);

        IStorageCursor cursor = LeaseCursor(KeySpace.List, commits);
        try
        {
            cursor.Seek(_windowKey.WrittenSpan);
            while (cursor.Valid)
            {
                ReadOnlySpan<byte> key = cursor.Key;
                if (key.Length != prefix.Length + ListMeta.SeqSize || !key[..prefix.Length].SequenceEqual(prefix))
                {
                    break;
                }

                ulong seq = ListMeta.ReadSeq(key[prefix.Length..]);
                if (seq > top)
                {
                    break;
                }

                ReadOnlySpan<byte> element = cursor.Value;
                if (_windowValues.Length + element.Length > ElementWindowBytes)
                {
                    return false;
                }

                int index = (int)(seq - low);
                _windowStarts[index] = _windowValues.Length;
                _windowLengths[index] = element.Length;
                _windowValues.Write(element);
                cursor.Next();
            }
        }
        finally
        {
            ReturnCursor(KeySpace.List, cursor, commits);
        }

        _windowLow = low;
        _windowSpan = span;
        _windowCommits = commits;
        return true;
    }

    private void DisposeElementWindow()
    {
        _windowPrefix.Dispose();
        _windowKey.Dispose();
        _windowValues.Dispose();
    }
}
