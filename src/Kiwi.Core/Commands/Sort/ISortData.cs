using Kiwi.Core.Storage;

namespace Kiwi.Core.Commands.Sort;

/// <summary>What SORT reads: committed state through one read view (SORT, SORT_RO), or the writer's batch (SORT ... STORE).</summary>
internal interface ISortData
{
    /// <summary>
    /// Adds the elements of <paramref name="key"/> to <paramref name="elements"/> in its own order (a list's, a
    /// set's members in byte order, a sorted set's by score) and returns the type found.
    /// </summary>
    KeyType Load(ReadOnlySpan<byte> key, List<byte[]> elements);

    /// <summary>The string at <paramref name="key"/>, or null when it is missing or not a string.</summary>
    byte[]? GetString(ReadOnlySpan<byte> key);

    /// <summary>Field <paramref name="field"/> of the hash at <paramref name="key"/>, or null when missing or not a hash.</summary>
    byte[]? GetHashField(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field);
}
