using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Kiwi.Native.Memory;

namespace Kiwi.Core.PubSub;

/// <summary>
/// Keyspace notifications (and cluster mode's PUBLISH entries), writer side. Each write notes its events (<see cref="Note"/>) into one reused buffer as it
/// is applied; once the batch is committed, <see cref="Publish"/> turns them, in apply order, into messages on
/// <c>__keyspace@&lt;db&gt;__:&lt;key&gt;</c> and <c>__keyevent@&lt;db&gt;__:&lt;event&gt;</c>; a failed batch
/// forgets them (<see cref="Discard"/>), a command that throws takes back its own (<see cref="Rollback"/>). With
/// notifications off a note is one test of a field; on, it copies the key and allocates nothing.
/// </summary>
internal sealed class KeyspaceEvents : IDisposable
{
    // A note: kind:u8 | db:u16 | len(a):i32 | len(b):i32 | a | b; a keyspace event's a is its name and b its key, a
    // publish's a is its channel and b its message.
    private const int NoteHeader = 11;
    private const byte KindEvent = 0;
    private const byte KindPublish = 1;
    private const byte KindShardPublish = 2;

    private readonly PubSubHub _hub;
    private readonly ByteBuffer _noted = new();
    private readonly ByteBuffer _channel = new();
    private int _classes;
    private int _configured;

    private readonly Storage.DatabaseMap? _databases;

    /// <summary>
    /// Creates the writer's notes, published to <paramref name="hub"/>; events name the logical database that
    /// <paramref name="databases"/> (the writer's SWAPDB map) puts on the physical one a write is stored under, as
    /// Redis, whose SWAPDB swaps the contents and keeps the numbers.
    /// </summary>
    public KeyspaceEvents(PubSubHub hub, Storage.DatabaseMap? databases = null)
    {
        _hub = hub;
        _databases = databases;
    }

    /// <summary>
    /// The classes notified (notify-keyspace-events); set from any thread, read by the writer. Without K or E
    /// nothing is published, so nothing is noted either.
    /// </summary>
    public KeyspaceEventClasses Classes
    {
        get => (KeyspaceEventClasses)Volatile.Read(ref _configured);
        set
        {
            Volatile.Write(ref _configured, (int)value);
            Volatile.Write(ref _classes, (value & (KeyspaceEventClasses.Keyspace | KeyspaceEventClasses.Keyevent)) != 0 ? (int)value : 0);
        }
    }

    /// <summary>True when events of <paramref name="classes"/> are noted (a write may skip work that only they need).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Wants(KeyspaceEventClasses classes) => (_classes & (int)classes) != 0;

    /// <summary>
    /// Any thread: true when key-miss events (class m) are published. Reads check it after they run, so with
    /// notifications off a read pays this one field read.
    /// </summary>
    public bool WantsKeyMiss
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (_classes & (int)KeyspaceEventClasses.KeyMiss) != 0;
    }

    /// <summary>
    /// Any thread (a read on a client's thread): publishes now Redis's <c>keymiss</c> of <paramref name="key"/> in
    /// logical database <paramref name="db"/>; a read queued in a transaction notes it instead (<see cref="Note"/>),
    /// to go out in order with the transaction's other events.
    /// </summary>
    public void PublishKeyMiss(int db, ReadOnlySpan<byte> key)
    {
        var classes = (KeyspaceEventClasses)Volatile.Read(ref _classes);
        if ((classes & KeyspaceEventClasses.KeyMiss) == 0 || !_hub.HasSubscribers)
        {
            return;
        }

        using var channel = new ByteBuffer();
        if ((classes & KeyspaceEventClasses.Keyspace) != 0)
        {
            _hub.Publish(Channel(channel, "__keyspace@"u8, db, key), "keymiss"u8);
        }

        if ((classes & KeyspaceEventClasses.Keyevent) != 0)
        {
            _hub.Publish(Channel(channel, "__keyevent@"u8, db, "keymiss"u8), key);
        }
    }

    /// <summary>Where the notes of the command being applied begin (for <see cref="Rollback"/>).</summary>
    public int Mark => _noted.Length;

    /// <summary>
    /// Writer thread: the write of <paramref name="key"/>, stored under physical database <paramref name="db"/>,
    /// produced <paramref name="name"/> of class <paramref name="classes"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Note(KeyspaceEventClasses classes, ReadOnlySpan<byte> name, int db, ReadOnlySpan<byte> key)
    {
        if ((_classes & (int)classes) != 0)
        {
            Append(KindEvent, _databases is null ? db : _databases.WriterLogical(db), name, key);
        }
    }

    /// <summary>Writer thread: a PUBLISH (or SPUBLISH) entry of cluster mode, delivered with the batch's events after its commit.</summary>
    public void NotePublish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, bool shard)
        => Append(shard ? KindShardPublish : KindPublish, 0, channel, message);

    /// <summary>Writer thread: a command failed part way; its notes go.</summary>
    public void Rollback(int mark) => _noted.SetLength(mark);

    /// <summary>Writer thread: the batch was not committed; forget its notes.</summary>
    public void Discard() => _noted.Clear();

    /// <summary>Writer thread, after the batch is committed: publishes its notes in the order they were made.</summary>
    public void Publish()
    {
        if (_noted.Length == 0)
        {
            return;
        }

        if (_hub.HasSubscribers)
        {
            var classes = (KeyspaceEventClasses)Volatile.Read(ref _classes);
            ReadOnlySpan<byte> noted = _noted.WrittenSpan;
            while (noted.Length >= NoteHeader)
            {
                byte kind = noted[0];
                int db = BinaryPrimitives.ReadUInt16LittleEndian(noted[1..]);
                int nameLength = BinaryPrimitives.ReadInt32LittleEndian(noted[3..]);
                int keyLength = BinaryPrimitives.ReadInt32LittleEndian(noted[7..]);
                ReadOnlySpan<byte> name = noted.Slice(NoteHeader, nameLength);
                ReadOnlySpan<byte> key = noted.Slice(NoteHeader + nameLength, keyLength);
                noted = noted[(NoteHeader + nameLength + keyLength)..];
                if (kind != KindEvent)
                {
                    _ = kind == KindShardPublish ? _hub.PublishShard(name, key) : _hub.Publish(name, key);
                    continue;
                }

                if ((classes & KeyspaceEventClasses.Keyspace) != 0)
                {
                    _hub.Publish(Channel("__keyspace@"u8, db, key), name);
                }

                if ((classes & KeyspaceEventClasses.Keyevent) != 0)
                {
                    _hub.Publish(Channel("__keyevent@"u8, db, name), key);
                }
            }
        }

        _noted.Clear();
        _channel.Clear();
    }

    /// <summary>Returns the buffers to the pool.</summary>
    public void Dispose()
    {
        _noted.Dispose();
        _channel.Dispose();
    }

    private void Append(byte kind, int db, ReadOnlySpan<byte> name, ReadOnlySpan<byte> key)
    {
        Span<byte> note = _noted.GetSpan(NoteHeader + name.Length + key.Length);
        note[0] = kind;
        BinaryPrimitives.WriteUInt16LittleEndian(note[1..], (ushort)db);
        BinaryPrimitives.WriteInt32LittleEndian(note[3..], name.Length);
        BinaryPrimitives.WriteInt32LittleEndian(note[7..], key.Length);
        name.CopyTo(note[NoteHeader..]);
        key.CopyTo(note[(NoteHeader + name.Length)..]);
        _noted.Advance(NoteHeader + name.Length + key.Length);
    }

    // "__keyspace@0__:key" / "__keyevent@0__:set", built in one reused buffer.
    private ReadOnlySpan<byte> Channel(ReadOnlySpan<byte> prefix, int db, ReadOnlySpan<byte> suffix) => Channel(_channel, prefix, db, suffix);

    private static ReadOnlySpan<byte> Channel(ByteBuffer channel, ReadOnlySpan<byte> prefix, int db, ReadOnlySpan<byte> suffix)
    {
        channel.Clear();
        channel.Write(prefix);
        Span<byte> digits = channel.GetSpan(11);
        db.TryFormat(digits, out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        channel.Advance(written);
        channel.Write("__:"u8);
        channel.Write(suffix);
        return channel.WrittenSpan;
    }
}
