using System.Buffers;
using System.Net.Sockets;

namespace Kiwi.Core.Raft;

/// <summary>
/// Fetches a snapshot's files (<see cref="SnapshotManifest"/>) from the member that serves them, chunk by chunk,
/// each chunk its own request bounded by its own timeout, into a staging directory that outlives a failed
/// fetch: the next fetch keeps every file already verified (by name, size and hash — checkpoints share their
/// immutable SST files, so a newer snapshot of the same leader mostly is) and resumes a file cut half way.
/// One fetch at a time (the caller serializes them).
/// </summary>
internal sealed class SnapshotFetcher
{
    /// <summary>Bytes asked for per request.</summary>
    public const int ChunkSize = 1 << 20;

    private readonly string _staging;
    private readonly TimeSpan _connectTimeout;
    private readonly TimeSpan _chunkTimeout;

    // What each file in staging is a (possibly partial) copy of, and which of them are complete and verified.
    private readonly Dictionary<string, SnapshotFile> _staged = new(StringComparer.Ordinal);
    private readonly HashSet<string> _verified = new(StringComparer.Ordinal);
    private long _bytesFetched;

    public SnapshotFetcher(string staging, TimeSpan connectTimeout, TimeSpan chunkTimeout)
    {
        _staging = staging;
        _connectTimeout = connectTimeout;
        _chunkTimeout = chunkTimeout;
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Bytes received from snapshot sources since start.</summary>
    public long BytesFetched => Volatile.Read(ref _bytesFetched);

    /// <summary>
    /// Makes every file of <paramref name="manifest"/> present and verified in staging. Throws
    /// <see cref="InvalidDataException"/> when a file arrives altered (it is dropped and fetched again next time),
    /// <see cref="IOException"/> or <see cref="SocketException"/> when the source fails or a chunk times out.
    /// </summary>
    public async Task FetchAsync(SnapshotManifest manifest, CancellationToken token)
    {
        Directory.CreateDirectory(_staging);
        DropFilesNotIn(manifest);
        Connection? connection = null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(SnapshotChunks.RequestHeaderSize + SnapshotChunks.MaxName + ChunkSize);
        try
        {
            foreach (SnapshotFile file in manifest.Files)
            {
                string path = Path.Combine(_staging, file.Name);
                if (!_staged.TryGetValue(file.Name, out SnapshotFile held) || held != file)
                {
                    File.Delete(path);
                    _verified.Remove(file.Name);
                    _staged[file.Name] = file;
                }

                if (_verified.Contains(file.Name) && File.Exists(path))
                {
                    continue;
                }

                using (var output = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
                {
                    long have = output.Length > file.Size ? 0 : output.Length;
                    output.SetLength(have);
                    output.Position = have;
                    while (have < file.Size)
                    {
                        connection ??= await Connection.OpenAsync(manifest, _connectTimeout, token).ConfigureAwait(false);
                        int length = (int)Math.Min(ChunkSize, file.Size - have);
                        await connection.ReadChunkAsync(file.Name, have, length, buffer, _chunkTimeout, token).ConfigureAwait(false);
                        await output.WriteAsync(buffer.AsMemory(0, length), token).ConfigureAwait(false);
                        have += length;
                        Interlocked.Add(ref _bytesFetched, length);
                    }

                    output.Flush(flushToDisk: true);
                }

                SnapshotFaults.AlterIfAsked(path);
                if (SnapshotFileHashes.Of(path, token) != file.Hash)
                {
                    File.Delete(path);
                    _staged.Remove(file.Name);
                    throw new InvalidDataException($"snapshot file {file.Name} arrived altered (checksum mismatch)");
                }

                _verified.Add(file.Name);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            connection?.Dispose();
        }
    }

    /// <summary>Moves the fetched files of <paramref name="manifest"/> into <paramref name="directory"/> (created).</summary>
    public void MoveTo(SnapshotManifest manifest, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (SnapshotFile file in manifest.Files)
        {
            File.Move(Path.Combine(_staging, file.Name), Path.Combine(directory, file.Name));
            _staged.Remove(file.Name);
            _verified.Remove(file.Name);
        }
    }

    private void DropFilesNotIn(SnapshotManifest manifest)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (SnapshotFile file in manifest.Files)
        {
            wanted.Add(file.Name);
        }

        foreach (string path in Directory.GetFiles(_staging))
        {
            string name = Path.GetFileName(path);
            if (!wanted.Contains(name) || !_staged.ContainsKey(name))
            {
                File.Delete(path);
                _staged.Remove(name);
                _verified.Remove(name);
            }
        }
    }

    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket;
        private readonly NetworkStream _stream;
        private readonly SnapshotManifest _manifest;
        private readonly CancellationTokenSource _timeout = new();

        private Connection(Socket socket, SnapshotManifest manifest)
        {
            _socket = socket;
            _stream = new NetworkStream(socket, ownsSocket: true);
            _manifest = manifest;
        }

        public static async Task<Connection> OpenAsync(SnapshotManifest manifest, TimeSpan timeout, CancellationToken token)
        {
            var socket = new Socket(manifest.Source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(token);
                bounded.CancelAfter(timeout);
                await socket.ConnectAsync(manifest.Source, bounded.Token).ConfigureAwait(false);
                return new Connection(socket, manifest);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                socket.Dispose();
                throw new IOException($"connecting to the snapshot source {manifest.Source} timed out");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        // Reads [offset, offset + length) of the file into buffer[0..length).
        public async Task ReadChunkAsync(string name, long offset, int length, byte[] buffer, TimeSpan timeout, CancellationToken token)
        {
            if (!_timeout.TryReset())
            {
                throw new IOException("snapshot fetch connection is unusable after a timeout");
            }

            using CancellationTokenRegistration link = token.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _timeout);
            _timeout.CancelAfter(timeout);
            try
            {
                int request = SnapshotChunks.WriteRequest(buffer, _manifest.Token, _manifest.Index, name, offset, length);
                await _stream.WriteAsync(buffer.AsMemory(0, request), _timeout.Token).ConfigureAwait(false);
                await _stream.ReadExactlyAsync(buffer.AsMemory(0, SnapshotChunks.ResponseHeaderSize), _timeout.Token).ConfigureAwait(false);
                var status = (SnapshotChunks.Status)buffer[0];
                int got = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(1));
                if (status != SnapshotChunks.Status.Ok || got != length)
                {
                    throw new IOException($"the snapshot source {_manifest.Source} refused {name}@{offset}: {status}");
                }

                await _stream.ReadExactlyAsync(buffer.AsMemory(0, length), _timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new IOException($"a snapshot chunk from {_manifest.Source} took longer than {timeout.TotalMilliseconds} ms");
            }
        }

        public void Dispose()
        {
            _stream.Dispose();
            _socket.Dispose();
            _timeout.Dispose();
        }
    }
}
