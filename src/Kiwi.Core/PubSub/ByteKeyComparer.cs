namespace Kiwi.Core.PubSub;

/// <summary>
/// Compares channel and pattern names by their bytes, and finds a <c>byte[]</c> key from a span without allocating
/// (<see cref="Dictionary{TKey, TValue}.GetAlternateLookup{TAlternateKey}"/>): a publish looks its channel up as given.
/// </summary>
internal sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    /// <summary>The one instance.</summary>
    public static readonly ByteKeyComparer Instance = new();

    private ByteKeyComparer()
    {
    }

    /// <inheritdoc />
    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    /// <inheritdoc />
    public int GetHashCode(byte[] obj) => Hash(obj);

    /// <inheritdoc />
    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    /// <inheritdoc />
    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    /// <inheritdoc />
    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = default(HashCode);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
