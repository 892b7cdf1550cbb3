namespace Kiwi.Core;

/// <content>Transactions: a typed batch of writes applied atomically.</content>
public sealed partial class KiwiDb
{
    /// <summary>Starts a typed transaction in this handle's database (see <see cref="KiwiTransaction"/>).</summary>
    public KiwiTransaction CreateTransaction()
    {
        ThrowIfDisposed();
        return new KiwiTransaction(this);
    }
}
