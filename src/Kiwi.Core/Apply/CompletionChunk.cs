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

    /// <summary>
    /// Hands every awaited request of <paramref name="batch"/> to the thread pool for completion, in chunks. Those
    /// marked <see cref="ApplyRequest.CompleteOnWriterThread"/> complete here, and so do those nobody awaits yet
    /// (that only marks them done: see <see cref="ApplyRequest.TryCompleteUnawaited"/>). Reorders the span.
    /// Returns true when some went to the thread pool.
    /// </summary>
    public static bool CompleteAll(Span<ApplyRequest> batch)
    {
        bool handedOff = false;
        CompletionChunk? chunk = null;
        int inline = 0;
        for (int i = 0; i < batch.Length; i++)
        {
            ApplyRequest request = batch[i];
            if (request.ReturnWhenApplied)
            {
                ApplyRequestPool.Return(request);
                continue;
            }

            if (request.CompleteOnWriterThread)
            {
                // Kept in the batch array (moved to the front) and completed below, after the pool has work.
                batch[inline++] = request;
                continue;
            }

            if (request.TryCompleteUnawaited())
            {
                continue;
            }

            handedOff = true;
            chunk ??= s_pool.Get();
            chunk._requests[chunk._count++] = request;
            if (chunk._count == Size)
            {
                ThreadPool.UnsafeQueueUserWorkItem(chunk, preferLocal: false);
                chunk = null;
            }
        }

        if (chunk is not null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(chunk, preferLocal: false);
        }

        for (int i = 0; i < inline; i++)
        {
            batch[i].CompleteInline();
        }

        return handedOff;
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
