using System;
using System.Diagnostics;
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
/// The firing side of recording for one thread and one recorder: a single-producer,
/// single-consumer ring of <see cref="Slot"/>s. The thread that owns it writes records; the
/// recorder's writer thread reads them.
/// </summary>
/// <remarks>
/// <para>
/// Cost model, per recorded event on the firing thread: a thread-static load and two compares to
/// find the buffer, a <see cref="Stopwatch.GetTimestamp"/>, one compare against a cached limit, a
/// header slot, one slot per argument (two for a decimal or Guid; a string is stored as its
/// reference, a write barrier, no copy), and one volatile store that publishes the record. No
/// lock, no allocation, no formatting.
/// </para>
/// <para>
/// Concurrency: <see cref="_head"/>, <see cref="_limit"/>, <see cref="_recordStart"/> and
/// <see cref="_inRecord"/> belong to the owning thread. <see cref="_published"/> is written by it
/// (volatile: every slot below it is complete) and read by the writer; <see cref="_consumed"/> is
/// written by the writer (volatile: every slot below it may be reused) and read by the owner.
/// A slot between them belongs to the writer, a slot at or above <see cref="_published"/> to the
/// owner. <see cref="_dropped"/> only grows, written by the owner.
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
    long _head;
    long _limit;
    long _recordStart;
    bool _inRecord;
    long _published;
    long _consumed;
    long _dropped;

    // Writer-side state (only the recorder's writer thread touches it).
    internal string? WrittenName;
    internal int[]? OpenSpans;
    internal long ReportedDropped;

    internal ThreadBuffer(RecorderSink owner, int capacity)
    {
        Owner = owner;
        Thread = Thread.CurrentThread;
        ManagedThreadId = Thread.ManagedThreadId;
        OsThreadId = OsThread.CurrentId();
        _slots = new Slot[capacity];
        _mask = capacity - 1;
        _limit = capacity - MaxRecordSlots;
    }

    internal long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Slots in the ring.</summary>
    internal int Capacity => _mask + 1;

    /// <summary>The firing side of <see cref="TraceEventSink.BeginEvent"/>: a header, or null (and a drop) when full.</summary>
    internal ThreadBuffer? Begin(TraceEventInfo traceEvent)
    {
        var timestamp = Stopwatch.GetTimestamp();
        // A record begun and not ended is one whose argument threw (abandoned) or one this thread
        // is inside of, which fired an event from an argument's ToString(): start over at its
        // start; its remaining writes and its EndEvent find _inRecord false and are dropped.
        var head = _inRecord ? _recordStart : _head;
        if (head > _limit)
        {
            _limit = Volatile.Read(ref _consumed) + _slots.Length - MaxRecordSlots;
            if (head > _limit)
            {
                _inRecord = false;
                _head = head;
                _dropped++;
                return null;
            }
        }
        ref var slot = ref _slots[head & _mask];
        slot.Value = timestamp;
        slot.Ref = traceEvent;
        slot.Kind = SlotKind.Header;
        _recordStart = head;
        _head = head + 1;
        _inRecord = true;
        return this;
    }

    /// <summary>The firing side of <see cref="TraceEventSink.EndEvent"/>: publishes the record.</summary>
    internal void End()
    {
        if (!_inRecord)
        {
            _dropped++; // an event that fired while this one's arguments were taken took its place
            return;
        }
        _inRecord = false;
        Volatile.Write(ref _published, _head); // the writer may read every slot of the record now
    }

    void Put(int kind, int index, long value)
    {
        if (!_inRecord) return;
        ref var slot = ref _slots[_head++ & _mask];
        slot.Value = value;
        slot.Kind = kind | index << 8;
    }

    void Put16(int kind, int index, SixteenBytes value)
    {
        if (!_inRecord) return;
        ref var low = ref _slots[_head++ & _mask];
        low.Value = value.Low;
        low.Kind = kind | index << 8;
        ref var high = ref _slots[_head++ & _mask];
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
        if (!_inRecord) return;
        ref var slot = ref _slots[_head++ & _mask];
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
    internal int Drain(RecordReader reader)
    {
        var published = Volatile.Read(ref _published);
        var position = Volatile.Read(ref _consumed);
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
        Volatile.Write(ref _consumed, position); // the owner may reuse every slot below it now
        return records;
    }

    /// <summary>Writer side, after the recorder detached and synchronized: the slots are no longer used.</summary>
    internal void Release() => _slots = Array.Empty<Slot>();
}

/// <summary>What <see cref="ThreadBuffer.Drain"/> hands each record to.</summary>
abstract class RecordReader
{
    public abstract void BeginRecord(ThreadBuffer thread, TraceEventInfo traceEvent, long timestamp);

    public abstract void Value(int index, int kind, long bits, int extra);

    public abstract void String(int index, string value);

    public abstract void Decimal(int index, decimal value);

    public abstract void Guid(int index, Guid value);

    public abstract void EndRecord();
}
