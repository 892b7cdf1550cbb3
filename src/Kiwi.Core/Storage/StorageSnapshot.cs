using System.Diagnostics.CodeAnalysis;
using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <summary>
/// A read view of committed state at one point in time (<see cref="IStorageEngine.OpenSnapshot"/>): every read
/// through it sees the commits made before it was opened and none after, so each <see cref="IStorageEngine.Commit"/>
/// is seen whole or not at all. A command that reads more than one record reads them all through one view.
/// <para>
/// A handle, like <see cref="ValueTask"/> over an <see cref="System.Threading.Tasks.Sources.IValueTaskSource"/>:
/// the engine's source object is pooled and the token tells this use of it from earlier and later ones, so
/// opening a view allocates nothing and a read through a disposed handle throws
/// <see cref="ObjectDisposedException"/> even after the source was reused. Dispose it once done, soon (an open
/// view may hold back the engine's commits or compactions); cursors opened through it keep it until they are
/// disposed too. Disposing a second time does nothing.
/// </para>
/// </summary>
internal readonly struct StorageSnapshot : IDisposable
{
    private readonly IStorageSnapshotSource? _source;
    private readonly int _token;

    /// <summary>A view served by <paramref name="source"/> under <paramref name="token"/> (for engines).</summary>
    public StorageSnapshot(IStorageSnapshotSource source, int token)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _token = token;
    }

    /// <summary>Reads <paramref name="key"/> as of the view into <paramref name="value"/> (replacing its content); false when absent.</summary>
    public bool TryGet(KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value) => Source.TryGet(_token, space, key, value);

    /// <summary>Opens an ordered cursor over <paramref name="space"/> as of the view.</summary>
    public IStorageCursor OpenCursor(KeySpace space) => Source.OpenCursor(_token, space);

    /// <summary>Ends the view (once its cursors are disposed too).</summary>
    public void Dispose() => _source?.Release(_token);

    private IStorageSnapshotSource Source => _source ?? ThrowDefault();

    [DoesNotReturn]
    private static IStorageSnapshotSource ThrowDefault() => throw new ObjectDisposedException(nameof(StorageSnapshot));
}

/// <summary>
/// What serves a <see cref="StorageSnapshot"/>: an engine's view object. Each call carries the token the view was
/// opened with; a token that is not the current one (the view was released) throws
/// <see cref="ObjectDisposedException"/>, except in <see cref="Release"/>, where it does nothing.
/// </summary>
internal interface IStorageSnapshotSource
{
    /// <inheritdoc cref="StorageSnapshot.TryGet"/>
    bool TryGet(int token, KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value);

    /// <inheritdoc cref="StorageSnapshot.OpenCursor"/>
    IStorageCursor OpenCursor(int token, KeySpace space);

    /// <inheritdoc cref="StorageSnapshot.Dispose"/>
    void Release(int token);
}
