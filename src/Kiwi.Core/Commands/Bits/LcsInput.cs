using System.Buffers;
using Kiwi.Core.Reads;
using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Bits;

/// <summary>LCS's two values, read from committed state into one rented array (a missing key is an empty string).</summary>
internal readonly struct LcsInput : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _aLength;
    private readonly int _bLength;

    private LcsInput(byte[] buffer, int aLength, int bLength)
    {
        _buffer = buffer;
        _aLength = aLength;
        _bLength = bLength;
    }

    /// <summary>The first key's value.</summary>
    public ReadOnlySpan<byte> A => _buffer.AsSpan(0, _aLength);

    /// <summary>The second key's value.</summary>
    public ReadOnlySpan<byte> B => _buffer.AsSpan(_aLength, _bLength);

    /// <summary>Reads both keys through one view (both at one point in time); false when either holds another type than a string (Redis checks this first).</summary>
    public static bool TryLoad(StorageSnapshot view, int db, ReadOnlySpan<byte> keyA, ReadOnlySpan<byte> keyB, long nowMs, out LcsInput input)
    {
        input = default;
        KeyType typeA = ReadPath.Lookup(view, db, keyA, nowMs);
        ReadOnlySpan<byte> a = typeA == KeyType.String ? MetaValue.Payload(ReadPath.Record) : default;
        if (typeA is not (KeyType.None or KeyType.String))
        {
            return false;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(a.Length, 16));
        a.CopyTo(buffer);
        int aLength = a.Length;
        KeyType typeB = ReadPath.Lookup(view, db, keyB, nowMs);
        if (typeB is not (KeyType.None or KeyType.String))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }

        ReadOnlySpan<byte> b = typeB == KeyType.String ? MetaValue.Payload(ReadPath.Record) : default;
        if (buffer.Length < aLength + b.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(aLength + b.Length);
            buffer.AsSpan(0, aLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }

        b.CopyTo(buffer.AsSpan(aLength));
        input = new LcsInput(buffer, aLength, b.Length);
        ReadPath.Release();
        return true;
    }

    /// <summary>Returns the array.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}
