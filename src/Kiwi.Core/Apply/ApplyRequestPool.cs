using Microsoft.Extensions.ObjectPool;

namespace Kiwi.Core.Apply;

/// <summary>The pool of <see cref="ApplyRequest"/> objects, sized for many requests in flight.</summary>
internal static class ApplyRequestPool
{
    private static readonly DefaultObjectPool<ApplyRequest> s_pool =
        new(new DefaultPooledObjectPolicy<ApplyRequest>(), maximumRetained: 16 * 1024);

    /// <summary>Rents a reset request.</summary>
    public static ApplyRequest Rent() => s_pool.Get();

    /// <summary>Returns a request whose reply was consumed.</summary>
    public static void Return(ApplyRequest request) => s_pool.Return(request);
}
