using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Kiwi.Core.Raft;

/// <summary>
/// Serves the files of this node's snapshots to members that install them (<see cref="SnapshotFetcher"/>), one
/// byte range per request (<see cref="SnapshotChunks"/>). Only snapshots offered here are served, and only to a
/// request that presents the snapshot's random token, which travels in the Raft snapshot transfer itself
/// (<see cref="SnapshotManifest"/>): the port gives away nothing the Raft port would not.
/// </summary>
internal sealed class SnapshotFileServer : IDisposable
{
    private static readonly TimeSpan s_idleTimeout = TimeSpan.FromSeconds(60);
    private readonly TcpListener _listener;
    private readonly ConcurrentDictionary<long, Offer> _offers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _chunksServed;
    private long _bytesServed;

    private SnapshotFileServer(TcpListener listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        _accepting = AcceptAsync();
    }

    /// <summary>The endpoint it listens on (the bound port when asked for port 0).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Ranges served since start.</summary>
    public long ChunksServed => Volatile.Read(ref _chunksServed);

    /// <summary>Bytes served since start.</summary>
    public long BytesServed => Volatile.Read(ref _bytesServed);

    /// <summary>Listens on <paramref name="endPoint"/> (port 0: any free port).</summary>
    public static SnapshotFileServer Start(IPEndPoint endPoint)
    {
        var listener = new TcpListener(endPoint);
        listener.Start(16);
        return new SnapshotFileServer(listener);
    }

    /// <summary>Serves the files of <paramref name="directory"/> as snapshot <paramref name="index"/> to holders of <paramref name="token"/>.</summary>
    public void Serve(long index, string directory, byte[] token) => _offers[index] = new Offer(directory, token);

    /// <summary>Stops serving snapshot <paramref name="index"/>.</summary>
    public void Withdraw(long index) => _offers.TryRemove(index, out _);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(SnapshotChunks.ResponseHeaderSize + SnapshotChunks.MaxChunk);
        byte[] token = new byte[SnapshotManifest.TokenSize];
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: true);
            while (true)
            {
                idle.CancelAfter(s_idleTimeout);
                await stream.ReadExactlyAsync(buffer.AsMemory(0, SnapshotChunks.RequestHeaderSize), idle.Token).ConfigureAwait(false);
                if (!SnapshotChunks.TryReadRequestHeader(buffer, token, out long index, out long offset, out int length, out int nameLength))
                {
                    SnapshotChunks.WriteResponseHeader(buffer, SnapshotChunks.Status.BadRequest, 0);
                    await stream.WriteAsync(buffer.AsMemory(0, SnapshotChunks.ResponseHeaderSize), idle.Token).ConfigureAwait(false);
                    return;
                }

                await stream.ReadExactlyAsync(buffer.AsMemory(0, nameLength), idle.Token).ConfigureAwait(false);
                string name = Encoding.UTF8.GetString(buffer, 0, nameLength);
                int served = await ReadRangeAsync(index, token, name, offset, length, buffer, idle.Token).ConfigureAwait(false);
                await stream.WriteAsync(buffer.AsMemory(0, SnapshotChunks.ResponseHeaderSize + Math.Max(0, served)), idle.Token).ConfigureAwait(false);
                if (served > 0)
                {
                    Interlocked.Increment(ref _chunksServed);
                    Interlocked.Add(ref _bytesServed, served);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or EndOfStreamException or ObjectDisposedException)
        {
            // The fetcher went away, timed out or the node is stopping: it reconnects and resumes if it needs to.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // Fills the response (header and data) into buffer; returns the data length, or -1 with an error status.
    private async Task<int> ReadRangeAsync(long index, byte[] token, string name, long offset, int length, byte[] buffer, CancellationToken cancel)
    {
        if (!_offers.TryGetValue(index, out Offer? offer) || !CryptographicOperations.FixedTimeEquals(offer.Token, token))
        {
            SnapshotChunks.WriteResponseHeader(buffer, SnapshotChunks.Status.UnknownSnapshot, 0);
            return -1;
        }

        string path = Path.Combine(offer.Directory, name);
        if (!SnapshotFile.IsPlainName(name) || !File.Exists(path))
        {
            SnapshotChunks.WriteResponseHeader(buffer, SnapshotChunks.Status.BadRange, 0);
            return -1;
        }

        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.Asynchronous);
            if (offset + length > file.Length)
            {
                SnapshotChunks.WriteResponseHeader(buffer, SnapshotChunks.Status.BadRange, 0);
                return -1;
            }

            file.Position = offset;
            await file.ReadExactlyAsync(buffer.AsMemory(SnapshotChunks.ResponseHeaderSize, length), cancel).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or EndOfStreamException)
        {
            // Deleted with its snapshot meanwhile.
            SnapshotChunks.WriteResponseHeader(buffer, SnapshotChunks.Status.UnknownSnapshot, 0);
            return -1;
        }

        SnapshotChunks.WriteResponseHeader(buffer, SnapshotChunks.Status.Ok, length);
        return length;
    }

    private sealed record Offer(string Directory, byte[] Token);
}
