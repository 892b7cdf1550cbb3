using Kiwi.Native.Memory;

namespace Kiwi.Core.Storage;

/// <content>
/// A point read as the batch sees it: the batch's latest write of the key, else the engine's committed record.
/// </content>
internal sealed partial class WriteSet
{
    /// <summary>
    /// Reads <paramref name="key"/> of <paramref name="space"/> into <paramref name="value"/> as this batch leaves it
    /// on top of <paramref name="engine"/>; false (and <paramref name="value"/> cleared when the batch deleted it)
    /// when it is absent.
    /// </summary>
    public bool ReadThrough(IStorageEngine engine, KeySpace space, ReadOnlySpan<byte> key, ByteBuffer value)
    {
        switch (Find(space, key, out ReadOnlySpan<byte> pending))
        {
            case Lookup.Put:
                value.Set(pending);
                return true;
            case Lookup.Deleted:
                value.Clear();
                return false;
            default:
                return engine.TryGet(space, key, value);
        }
    }
}
