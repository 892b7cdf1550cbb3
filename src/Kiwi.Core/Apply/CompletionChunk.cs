using Microsoft.Extensions.ObjectPool;

namespace Kiwi.Core.Apply;

/// <summary>
/// Completes a run of a batch's requests on one thread-pool thread: one queue operation per chunk instead
/// of one per request, while chunks of a big batch still complete in parallel. Pooled: no allocation.
/// </summary>
internal sealed class CompletionChunk : IThreadPoolWorkItem, IResettable
{
    /// <summary>Requests per chunk.</summary>
    public const int Size = 32;

    private static readonly DefaultObjectPool<CompletionChunk> s_pool = new(new DefaultPooledObjectPolicy<CompletionChunk>(), maximumRetained: 1024);

    private readonly ApplyRequest?[] _requests = new ApplyRequest?[Size];
    private int _count;

    /// <summary>Hands every request of <paramref name="batch"/> to the thread pool for completion, in chunks.</summary>
    public static void CompleteAll(Span<ApplyRequest> batch)
    {
        for (int start = 0; start < batch.Length; start += Size)
        {
            CompletionChunk chunk = s_pool.Get();
            Span<ApplyRequest> part = batch.Slice(start, Math.Min(Size, batch.Length - start));
            for (int i = 0; i < part.Length; i++)
            {
                chunk._requests[i] = part[i];
            }

            chunk._count = part.Length;
            ThreadPool.UnsafeQueueUserWorkItem(chunk, preferLocal: false);
        }
    }

    /// <inheritdoc />
    public void Execute()
    {
        for (int i = 0; i < _count; i++)
        {
            ApplyRequest request = _requests[i]!;
            _requests[i] = null;
            request.CompleteInline();
        }

        s_pool.Return(this);
    }

    /// <inheritdoc />
    public bool TryReset()
    {
        _count = 0;
        return true;
    }
}
