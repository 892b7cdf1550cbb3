using Microsoft.Extensions.ObjectPool;

namespace Kiwi.Core.Apply;

/// <summary>
/// Completes a run of a batch's requests on one thread-pool thread: one queue operation per chunk instead
/// of one per request. A batch is cut into at most one chunk per core besides the writer's (and chunks of at
/// least <see cref="MinSize"/>): on two cores a batch is one pool item. Each item more can wake another worker
/// (the pool asks for one more thread each time a worker takes an item), which runs a share of the continuations
/// and parks again; with the writer on one of two cores nothing runs in parallel to pay for that. Pooled: no
/// allocation.
/// </summary>
internal sealed class CompletionChunk : IThreadPoolWorkItem, IResettable
{
    /// <summary>The fewest requests a chunk takes before the next chunk starts.</summary>
    public const int MinSize = 32;

    private static readonly DefaultObjectPool<CompletionChunk> s_pool = new(new DefaultPooledObjectPolicy<CompletionChunk>(), maximumRetained: 1024);

    // One chunk per core the writer leaves to the pool.
    private static readonly int s_maxChunks = Math.Max(1, Environment.ProcessorCount - 1);

    private ApplyRequest?[] _requests = new ApplyRequest?[MinSize];
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
        int size = Math.Max(MinSize, (batch.Length + s_maxChunks - 1) / s_maxChunks);
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
            chunk.Add(request);
            if (chunk._count == size)
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

    private void Add(ApplyRequest request)
    {
        if (_count == _requests.Length)
        {
            Array.Resize(ref _requests, _requests.Length * 2);
        }

        _requests[_count++] = request;
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
