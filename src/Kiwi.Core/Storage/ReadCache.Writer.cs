using System.Buffers.Binary;

namespace Kiwi.Core.Storage;

/// <content>
/// The writer's side of the cache protocol: around each RocksDB write it holds the slots of the batch's keys
/// (<see cref="Touch"/>, then <see cref="Hold"/>), writes what the batch leaves in them (<see cref="Stage"/>), and
/// gives them back (<see cref="Release"/>); a range delete moves the generation on instead (<see cref="HoldAll"/>).
/// </content>
internal sealed partial class ReadCache
{
    /// <summary>
    /// Writer, a first pass over the batch's keys in the order <see cref="Hold"/> will see them: loads their
    /// version words, plain loads whose cache misses overlap, so the holds' interlocked operations (each of which
    /// waits for its own miss) find them in the CPU cache.
    /// </summary>
    public void Touch(ReadOnlySpan<byte> key, byte tag = 0)
    {
        if (!Cacheable(key))
        {
            return;
        }

        int slot = SlotOf(key, tag);
        if (_nextCount == _next.Length)
        {
            Array.Resize(ref _next, _next.Length * 2);
        }

        _next[_nextCount++] = slot;
        _ = Volatile.Read(ref VersionOf(slot)); // a volatile load is never elided
    }

    /// <summary>
    /// Writer, before the RocksDB write: holds the slot of <paramref name="key"/> until <see cref="Release"/>. Returns
    /// the hold's number for <see cref="Stage"/>, or -1 when this call took no new hold (the slot was held already).
    /// </summary>
    public int Hold(ReadOnlySpan<byte> key, byte tag = 0)
    {
        if (!Cacheable(key))
        {
            return -1; // such keys are never cached; Touch skipped them too, so the two passes stay in step
        }

        int slot = _nextTaken < _nextCount ? _next[_nextTaken++] : SlotOf(key, tag);
        if (_heldAll)
        {
            return -1;
        }

        if ((Volatile.Read(ref VersionOf(slot)) & HolderBits) == WriterHolds)
        {
            return -1; // already held by this batch
        }

        Lock(slot);
        if (_heldCount == _held.Length)
        {
            Array.Resize(ref _held, _held.Length * 2);
        }

        _held[_heldCount] = slot;
        return _heldCount++;
    }

    /// <summary>
    /// Writer, while it holds the slot (<paramref name="hold"/> from <see cref="Hold"/>): writes what the batch
    /// leaves in <paramref name="key"/> (<paramref name="record"/>, or absent when not <paramref name="found"/>) into
    /// the slot, to be valid after <see cref="Release"/> if the write commits. The write-through keeps a key the
    /// writer writes again and again (its SET reads the old record's header first) a cache hit: before, every
    /// batch gave its slots back empty and the next write of the key searched RocksDB.
    /// </summary>
    public void Stage(int hold, ReadOnlySpan<byte> key, bool found, ReadOnlySpan<byte> record, byte tag = 0)
    {
        if (hold < 0 || _heldAll || key.Length + (found ? record.Length : 0) > MaxPayload)
        {
            return;
        }

        int slot = _held[hold] & int.MaxValue;
        WriteSlot(slot, key, tag, found, record);
        _held[hold] = slot | StagedBit;
    }

    /// <summary>
    /// Writer: a range delete. Until <see cref="Release"/> every lookup misses and no fill is taken; the release
    /// then moves the generation on, which leaves every record cached so far invalid.
    /// </summary>
    public void HoldAll()
    {
        if (_heldAll)
        {
            return;
        }

        Interlocked.Increment(ref _generation); // odd: a full barrier, before the RocksDB write
        _heldAll = true;
    }

    /// <summary>
    /// Writer, after the RocksDB write: gives every held slot back, empty, or holding what <see cref="Stage"/> wrote
    /// when <paramref name="committed"/> (the write went in; a failed one leaves every slot empty).
    /// </summary>
    public void Release(bool committed = false)
    {
        if (_heldAll)
        {
            for (int i = 0; i < _heldCount; i++)
            {
                Unlock(_held[i] & int.MaxValue, false);
            }

            long next = _generation + 1;
            if (TagOf(next) == 0)
            {
                // The tag comes round again: empty every slot, so none written under the old tag 0 counts.
                for (int slot = 0; slot <= _mask; slot++)
                {
                    Lock(slot);
                    Unlock(slot, false);
                }
            }

            Volatile.Write(ref _generation, next); // even again: records staged from now on are valid under it
            _heldAll = false;
        }
        else
        {
            for (int i = 0; i < _heldCount; i++)
            {
                int held = _held[i];
                Unlock(held & int.MaxValue, committed && (held & StagedBit) != 0);
            }
        }

        _heldCount = 0;
        _nextCount = 0;
        _nextTaken = 0;
    }

    // The slot's bytes: key length and tag, record length (or absent), key, record. Only its holder writes them.
    private void WriteSlot(int slot, ReadOnlySpan<byte> key, byte tag, bool found, ReadOnlySpan<byte> record)
    {
        Span<byte> bytes = _memory.Slice(SlotOffset(slot) + VersionBytes, DataBytes);
        key.CopyTo(bytes[HeaderBytes..]);
        if (found)
        {
            record.CopyTo(bytes[(HeaderBytes + key.Length)..]);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)KeyField(key, tag));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], found ? (ushort)record.Length : AbsentRecord);
    }

    // Spins past a filler (it holds a slot for one copy of at most 128 bytes).
    private void Lock(int slot)
    {
        ref long version = ref VersionOf(slot);
        SpinWait spin = default;
        while (true)
        {
            long v = Volatile.Read(ref version);
            if ((v & HolderBits) == 0 && Interlocked.CompareExchange(ref version, v | WriterHolds, v) == v)
            {
                return;
            }

            spin.SpinOnce();
        }
    }

    private void Unlock(int slot, bool valid)
    {
        ref long version = ref VersionOf(slot);
        long next = (version & CounterMask) + Step;
        Volatile.Write(ref version, (next & CounterMask) | (valid ? Valid | TagOf(_generation) : 0));
    }
}
