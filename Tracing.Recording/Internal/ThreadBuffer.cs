using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Tracing.Recording.Internal;

/// <summary>One slot of a thread buffer: a record's header or one argument (two for 16-byte values).</summary>
struct Slot
{
    public long Value;   // the timestamp of a header; the bits of a value
    public object? Ref;  // a header's TraceEventInfo; a string argument (strings are immutable: the reference is the copy)
    public int Kind;     // SlotKind | parameter index << 8 | extra (a DateTime's kind) << 16
}

static class SlotKind
{
    public const int Header = 1, Null = 2, Boolean = 3, Int64 = 4, UInt64 = 5, Double = 6, Decimal = 7,
        Char = 8, String = 9, DateTime = 10, TimeSpan = 11, Guid = 12;
}

/// <summary>The 16 bytes of a <see cref="Guid"/> or a <see cref="decimal"/> as two longs, with no unsafe code.</summary>
[StructLayout(LayoutKind.Explicit)]
struct SixteenBytes
{
    [FieldOffset(0)] public Guid Guid;
    [FieldOffset(0)] public decimal Decimal;
    [FieldOffset(0)] public long Low;
    [FieldOffset(8)] public long High;
}

/// <summary>
/// The positions in a <see cref="ThreadBuffer"/>, spaced so that what the owning thread writes for
/// every event, what it publishes to the writer, and what the writer writes back are on separate
/// cache lines (whatever the object's alignment): a store by one side never takes away a line the
/// other is using (false sharing), and the owner's per-event fields stay in its own cache.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 4 * Spacing)]
struct Cursors
{
    // Twice a 64-byte line: each group is at least a line away from the next, and the pair of
    // lines a CPU prefetches together holds one group only.
    const int Spacing = 128;

    // The owner's, read and written for each event.
    [FieldOffset(Spacing)] public long Head;
    [FieldOffset(Spacing + 8)] public long Limit;
    [FieldOffset(Spacing + 16)] public long RecordStart;
    [FieldOffset(Spacing + 24)] public long WokeWriterAt;
    [FieldOffset(Spacing + 32)] public bool InRecord;

    // Written by the owner for each event (Published) or drop, read by the writer once per pass.
    [FieldOffset(2 * Spacing)] public long Published;
    [FieldOffset(2 * Spacing + 8)] public long Dropped;

    // Written by the writer once per pass, read by the owner once per half buffer.
    [FieldOffset(3 * Spacing)] public long Consumed;
}

/// <summary>
/// The firing side of recording for one thread and one recorder: a single-producer,
/// single-consumer ring of <see cref="Slot"/>s. The thread that owns it writes records; the
/// recorder's writer thread reads them.
/// </summary>
/// <remarks>
/// <para>
/// Cost model, per recorded event on the firing thread: a thread-static load and two compares to
/// find the buffer, one compare against a cached limit, a <see cref="Stopwatch.GetTimestamp"/>
/// (about 28 ns of the total on this project's 2-core VM: the vDSO's clock_gettime), a header
/// slot, one slot per argument (two for a decimal or Guid; a string is stored as its reference, a
/// write barrier, no copy), and one volatile store that publishes the record. No lock, no
/// allocation, no formatting. Once per half buffer, a slow path reads the writer's position and
/// wakes the writer (<see cref="MakeRoom"/>).
/// </para>
/// <para>
/// Concurrency (the fields of <see cref="Cursors"/>): <c>Head</c>, <c>Limit</c>, <c>RecordStart</c>,
/// <c>InRecord</c> and <c>WokeWriterAt</c> belong to the owning thread. <c>Published</c> is written
/// by it (volatile: every slot below it is complete) and read by the writer; <c>Consumed</c> is
/// written by the writer (volatile: every slot below it may be reused) and read by the owner when
/// its buffer is half full. A slot between them belongs to the writer, a slot at or above
/// <c>Published</c> to the owner. <c>Dropped</c> only grows, written by the owner.
/// </para>
/// </remarks>
sealed class ThreadBuffer : TraceValueWriter
{
    /// <summary>The most slots one record takes: a header and 16 arguments of two slots each.</summary>
    internal const int MaxRecordSlots = 1 + 16 * 2;

    internal readonly RecorderSink Owner;
    internal readonly Thread Thread;
    internal readonly long OsThreadId;
    internal readonly int ManagedThreadId;

    Slot[] _slots;
    readonly int _mask;
    Cursors _at;

    // Writer-side state (only the recorder's writer thread touches it).
    internal string? WrittenName;
    internal int[]? OpenSpans;
    internal long ReportedDropped;
    internal byte[]?[] InstantPrefixes = Array.Empty<byte[]?>();

    internal ThreadBuffer(RecorderSink owner, int capacity)
    {
        Owner = owner;
        Thread = Thread.CurrentThread;
        ManagedThreadId = Thread.ManagedThreadId;
        OsThreadId = OsThread.CurrentId();
        _slots = new Slot[capacity];
        _mask = capacity - 1;
        _at.Limit = capacity >> 1;
        _at.WokeWriterAt = -1;
    }

    internal long Dropped => Volatile.Read(ref _at.Dropped);

    /// <summary>Slots in the ring.</summary>
    internal int Capacity => _mask + 1;

    /// <summary>The firing side of <see cref="TraceEventSink.BeginEvent"/>: a header, or null (and a drop) when full.</summary>
    internal ThreadBuffer? Begin(TraceEventInfo traceEvent)
    {
        // A record begun and not ended is one whose argument threw (abandoned) or one this thread
        // is inside of, which fired an event from an argument's ToString(): start over at its
        // start; its remaining writes and its EndEvent find InRecord false and are dropped.
        var head = _at.InRecord ? _at.RecordStart : _at.Head;
        if (head > _at.Limit && !MakeRoom(head)) return null;
        ref var slot = ref _slots[head & _mask];
        slot.Value = Stopwatch.GetTimestamp(); // after the room check: a drop does not pay for the clock
        slot.Ref = traceEvent;
        slot.Kind = SlotKind.Header;
        _at.RecordStart = head;
        _at.Head = head + 1;
        _at.InRecord = true;
        return this;
    }

    // The slow path of Begin, once per half buffer (or per event while dropping): the buffer is
    // half full or more. Wakes the writer (once per drain it did) so that it empties the buffer
    // before it is full, and moves Limit to the next point to look again: half full, or full.
    [MethodImpl(MethodImplOptions.NoInlining)]
    bool MakeRoom(long head)
    {
        var consumed = Volatile.Read(ref _at.Consumed);
        var half = consumed + (_slots.Length >> 1);
        var full = consumed + _slots.Length - MaxRecordSlots;
        if (head <= half)
        {
            _at.Limit = half;
            return true;
        }
        _at.Limit = full;
        if (_at.WokeWriterAt != consumed)
        {
            _at.WokeWriterAt = consumed;
            Owner.WakeWriter();
        }
        if (head <= full) return true;
        _at.InRecord = false;
        _at.Head = head;
        _at.Dropped++;
        return false;
    }

    /// <summary>The firing side of <see cref="TraceEventSink.EndEvent"/>: publishes the record.</summary>
    internal void End()
    {
        if (!_at.InRecord)
        {
            _at.Dropped++; // an event that fired while this one's arguments were taken took its place
            return;
        }
        _at.InRecord = false;
        Volatile.Write(ref _at.Published, _at.Head); // the writer may read every slot of the record now
    }

    void Put(int kind, int index, long value)
    {
        if (!_at.InRecord) return;
        ref var slot = ref _slots[_at.Head++ & _mask];
        slot.Value = value;
        slot.Kind = kind | index << 8;
    }

    void Put16(int kind, int index, SixteenBytes value)
    {
        if (!_at.InRecord) return;
        ref var low = ref _slots[_at.Head++ & _mask];
        low.Value = value.Low;
        low.Kind = kind | index << 8;
        ref var high = ref _slots[_at.Head++ & _mask];
        high.Value = value.High;
        high.Kind = kind | index << 8;
    }

    public override void WriteNull(int index) => Put(SlotKind.Null, index, 0);

    public override void WriteBoolean(int index, bool value) => Put(SlotKind.Boolean, index, value ? 1 : 0);

    public override void WriteInt64(int index, long value) => Put(SlotKind.Int64, index, value);

    public override void WriteUInt64(int index, ulong value) => Put(SlotKind.UInt64, index, unchecked((long)value));

    public override void WriteDouble(int index, double value) => Put(SlotKind.Double, index, BitConverter.DoubleToInt64Bits(value));

    public override void WriteDecimal(int index, decimal value) => Put16(SlotKind.Decimal, index, new SixteenBytes { Decimal = value });

    public override void WriteChar(int index, char value) => Put(SlotKind.Char, index, value);

    public override void WriteString(int index, string value)
    {
        if (!_at.InRecord) return;
        ref var slot = ref _slots[_at.Head++ & _mask];
        slot.Ref = value;
        slot.Kind = SlotKind.String | index << 8;
    }

    public override void WriteDateTime(int index, DateTime value) =>
        Put(SlotKind.DateTime | (int)value.Kind << 16, index, value.Ticks);

    public override void WriteTimeSpan(int index, TimeSpan value) => Put(SlotKind.TimeSpan, index, value.Ticks);

    public override void WriteGuid(int index, Guid value) => Put16(SlotKind.Guid, index, new SixteenBytes { Guid = value });

    /// <summary>
    /// Writer side: hands every published record to <paramref name="reader"/>, then frees its
    /// slots. Returns how many records were read.
    /// </summary>
    internal int Drain(ChromeRecordReader reader)
    {
        var published = Volatile.Read(ref _at.Published);
        var position = Volatile.Read(ref _at.Consumed);
        var slots = _slots;
        var records = 0;
        while (position < published)
        {
            ref var header = ref slots[position & _mask];
            var traceEvent = (TraceEventInfo)header.Ref!;
            header.Ref = null;
            position++;
            reader.BeginRecord(this, traceEvent, header.Value);
            while (position < published)
            {
                ref var slot = ref slots[position & _mask];
                var kind = slot.Kind & 0xFF;
                if (kind == SlotKind.Header) break;
                var index = slot.Kind >> 8 & 0xFF;
                switch (kind)
                {
                    case SlotKind.String:
                        reader.String(index, (string)slot.Ref!);
                        slot.Ref = null;
                        break;
                    case SlotKind.Decimal:
                    case SlotKind.Guid:
                        var bits = new SixteenBytes { Low = slot.Value, High = slots[(position + 1) & _mask].Value };
                        position++;
                        if (kind == SlotKind.Decimal) reader.Decimal(index, bits.Decimal);
                        else reader.Guid(index, bits.Guid);
                        break;
                    default:
                        reader.Value(index, kind, slot.Value, slot.Kind >> 16);
                        break;
                }
                position++;
            }
            reader.EndRecord();
            records++;
        }
        Volatile.Write(ref _at.Consumed, position); // the owner may reuse every slot below it now
        return records;
    }

    /// <summary>Writer side, after the recorder detached and synchronized: the slots are no longer used.</summary>
    internal void Release() => _slots = Array.Empty<Slot>();
}
