#if NET
using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Tracing.Internal;

/// <summary>
/// Writes each firing of the events it is attached to as one EventPipe event of the Tracing
/// provider, named after the trace event (<c>Namespace.Type.Event</c>), with one field per
/// parameter, by name.
/// </summary>
/// <remarks>
/// <para>
/// Fields. A parameter's declared type gives its field's type (the value rules of
/// <see cref="TraceValueWriter"/>, in EventPipe's types): signed integers are Int64, unsigned
/// ones UInt64, <c>float</c>, <c>double</c> and <c>decimal</c> Double, <c>bool</c> Boolean,
/// <c>char</c> Char, <see cref="DateTime"/> DateTime (UTC), <see cref="TimeSpan"/> Int64 ticks,
/// <see cref="Guid"/> Guid; strings, enums (by name), <c>object</c> and every other type String.
/// A <c>T?</c> is <c>T</c>'s field. A null is written as EventSource writes one: an empty string,
/// or the field type's zero. A string longer than the payload can hold (EventPipe's limit is 64 KiB
/// an event) is cut.
/// </para>
/// <para>
/// Cost model, on the firing thread: <see cref="BeginEvent"/> reads the event's slot (an array
/// index) and the thread's writer; each argument is copied into the writer's buffer (a string
/// as its UTF-16 characters); <see cref="EndEvent"/> hands the buffer to EventPipe in one call,
/// which copies it into the session's buffer. No boxing, no allocation, no lock, no formatting
/// (except an <c>object</c> parameter holding a number, which is written as text). An event's
/// EventPipe metadata is built and defined once, at its first firing.
/// </para>
/// </remarks>
sealed unsafe class EventPipeSink : TraceEventSink
{
    // EventPipe's limit is 64 KiB an event, header included.
    internal const int MaxPayload = 60 * 1024;

    readonly TracingEventSource _source;
    readonly object _gate = new();
    Slot?[] _slots = new Slot?[64]; // by TraceEventInfo.Id; grown under _gate, read without it

    [ThreadStatic] static PayloadWriter? t_writer;
    static int s_attachments;
    int _attachment;

    /// <summary>
    /// Called by the bridge before it attaches the sink: each thread writes its name again before
    /// its next event, so a session that started since has it too.
    /// </summary>
    internal void Reattaching() => Volatile.Write(ref _attachment, Interlocked.Increment(ref s_attachments));

    public EventPipeSink(TracingEventSource source) => _source = source;

    /// <summary>One event's EventPipe handle and field types.</summary>
    sealed class Slot
    {
        public Slot(IntPtr handle, FieldKind[] fields)
        {
            Handle = handle;
            Fields = fields;
            RoomAfter = new int[fields.Length];
            for (var i = fields.Length - 2; i >= 0; i--) RoomAfter[i] = RoomAfter[i + 1] + SizeOf(fields[i + 1]);
        }

        public readonly IntPtr Handle; // zero: the event could not be defined (reported once)
        public readonly FieldKind[] Fields;
        public readonly int[] RoomAfter; // bytes the fields after each one need at least, kept free when a string is cut
    }

    protected internal override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent)
    {
        var slots = Volatile.Read(ref _slots);
        var slot = traceEvent.Id < slots.Length ? slots[traceEvent.Id] : null;
        slot ??= Define(traceEvent);
        if (slot.Handle == IntPtr.Zero) return null;
        var writer = t_writer;
        // Busy: a ToString() of an argument fired an event on this thread, or a firing threw
        // before its end. Either way the busy writer is left to whoever holds it.
        if (writer is null || writer.Busy) t_writer = writer = new PayloadWriter();
        var attachment = Volatile.Read(ref _attachment);
        if (writer.NamedIn != attachment)
        {
            // The thread's writer remembers it (a writer made anew names the thread again).
            writer.NamedIn = attachment;
            var thread = Thread.CurrentThread;
            _source.ThreadName(string.IsNullOrEmpty(thread.Name) ? $"Thread {thread.ManagedThreadId}" : thread.Name!);
        }
        writer.Start(slot);
        return writer;
    }

    protected internal override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer)
    {
        var payload = (PayloadWriter)writer;
        try
        {
            var handle = Volatile.Read(ref _slots)[traceEvent.Id]!.Handle;
            fixed (byte* p = payload.Buffer) EventPipeNative.Write(handle, p, payload.Length);
        }
        finally
        {
            payload.Busy = false;
        }
    }

    protected internal override void OnAttachFailed(TraceEventInfo traceEvent, Exception error) =>
        _source.Error($"Tracing: {traceEvent} is not written: {error.Message}");

    Slot Define(TraceEventInfo traceEvent)
    {
        lock (_gate)
        {
            if (traceEvent.Id < _slots.Length && _slots[traceEvent.Id] is { } defined) return defined;
            var fields = new FieldKind[traceEvent.Parameters.Count];
            for (var i = 0; i < fields.Length; i++) fields[i] = KindOf(traceEvent.Parameters[i].Type);
            var eventId = EventIdOf(traceEvent);
            var handle = EventPipeNative.DefineEvent(eventId, (long)TracingEventSource.Keywords.Events,
                (uint)TracingEventSource.EventsLevel, Metadata(eventId, traceEvent, fields));
            if (handle == IntPtr.Zero) _source.Error($"Tracing: EventPipe refused to define {traceEvent}; it is not written.");
            var slot = new Slot(handle, fields);
            var slots = _slots;
            if (traceEvent.Id >= slots.Length) Array.Resize(ref slots, Math.Max(slots.Length * 2, traceEvent.Id + 1));
            slots[traceEvent.Id] = slot;
            Volatile.Write(ref _slots, slots); // release: a reader that sees the slot sees its fields
            return slot;
        }
    }

    // Event ids 1..999 are the EventSource's own (Error is 1); a trace event's is 1000 + its Id.
    internal static uint EventIdOf(TraceEventInfo traceEvent) => (uint)(1000 + traceEvent.Id);

    internal enum FieldKind : byte
    {
        // The values are EventPipe's type codes (System.TypeCode, plus Guid = 17).
        Boolean = 3,
        Char = 4,
        Int64 = 11,
        UInt64 = 12,
        Double = 14,
        DateTime = 16,
        Guid = 17,
        String = 18,
    }

    // A field's size in the payload; a string's least (an empty one).
    static int SizeOf(FieldKind kind) => kind switch
    {
        FieldKind.Char or FieldKind.String => 2,
        FieldKind.Boolean => 4,
        FieldKind.Guid => 16,
        _ => 8,
    };

    internal static FieldKind KindOf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum) return FieldKind.String;
        if (t == typeof(IntPtr) || t == typeof(TimeSpan)) return FieldKind.Int64;
        if (t == typeof(UIntPtr)) return FieldKind.UInt64;
        if (t == typeof(Guid)) return FieldKind.Guid;
        return Type.GetTypeCode(t) switch
        {
            TypeCode.SByte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 => FieldKind.Int64,
            TypeCode.Byte or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 => FieldKind.UInt64,
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => FieldKind.Double,
            TypeCode.Boolean => FieldKind.Boolean,
            TypeCode.Char => FieldKind.Char,
            TypeCode.DateTime => FieldKind.DateTime,
            _ => FieldKind.String,
        };
    }

    /// <summary>
    /// EventPipe's event metadata (the V5 layout EventSource also produces): id, name, keywords,
    /// version, level, the fields (type code, name), then an explicit opcode (Info), so that
    /// readers do not take a name ending in Start or Stop for an activity and cut it.
    /// </summary>
    internal static byte[] Metadata(uint eventId, TraceEventInfo traceEvent, FieldKind[] fields)
    {
        var bytes = new System.Collections.Generic.List<byte>(64);
        void UInt32(uint v) => bytes.AddRange(BitConverter.GetBytes(v));
        void Text(string s)
        {
            bytes.AddRange(Encoding.Unicode.GetBytes(s));
            bytes.Add(0);
            bytes.Add(0);
        }
        UInt32(eventId);
        Text(traceEvent.FullName);
        bytes.AddRange(BitConverter.GetBytes((long)TracingEventSource.Keywords.Events));
        UInt32(0); // version
        UInt32((uint)TracingEventSource.EventsLevel);
        UInt32((uint)fields.Length);
        for (var i = 0; i < fields.Length; i++)
        {
            UInt32((uint)fields[i]);
            Text(traceEvent.Parameters[i].Name);
        }
        UInt32(1);   // tag size
        bytes.Add(1); // tag: opcode
        bytes.Add(0); // Info
        return bytes.ToArray();
    }

    /// <summary>One thread's payload buffer: the arguments of the firing in progress, in EventPipe's encoding.</summary>
    sealed class PayloadWriter : TraceValueWriter
    {
        public readonly byte[] Buffer = new byte[MaxPayload];
        public int Length;
        public bool Busy;
        public int NamedIn; // the attachment its thread last wrote its name in (0: none)
        FieldKind[] _fields = Array.Empty<FieldKind>();
        int[] _roomAfter = Array.Empty<int>();

        public void Start(Slot slot)
        {
            _fields = slot.Fields;
            _roomAfter = slot.RoomAfter;
            Length = 0;
            Busy = true;
        }

        // Each Write puts the value in its field's type. Only an object parameter (a String field)
        // or a null (a T? or a reference) meets a field of another type.
        public override void WriteInt64(int index, long value)
        {
            switch (_fields[index])
            {
                case FieldKind.Int64: Put(value); break;
                case FieldKind.String: PutString(value.ToString(CultureInfo.InvariantCulture), index); break;
                default: PutZero(index); break;
            }
        }

        public override void WriteUInt64(int index, ulong value)
        {
            switch (_fields[index])
            {
                case FieldKind.UInt64: Put(value); break;
                case FieldKind.String: PutString(value.ToString(CultureInfo.InvariantCulture), index); break;
                default: PutZero(index); break;
            }
        }

        public override void WriteDouble(int index, double value)
        {
            switch (_fields[index])
            {
                case FieldKind.Double: Put(value); break;
                case FieldKind.String: PutString(value.ToString("R", CultureInfo.InvariantCulture), index); break;
                default: PutZero(index); break;
            }
        }

        public override void WriteBoolean(int index, bool value)
        {
            switch (_fields[index])
            {
                case FieldKind.Boolean: Put(value ? 1 : 0); break; // EventPipe's Boolean is 32 bits
                case FieldKind.String: PutString(value ? "True" : "False", index); break;
                default: PutZero(index); break;
            }
        }

        public override void WriteChar(int index, char value)
        {
            switch (_fields[index])
            {
                case FieldKind.Char: Put(value); break;
                case FieldKind.String: PutString(value.ToString(), index); break;
                default: PutZero(index); break;
            }
        }

        public override void WriteString(int index, string value)
        {
            if (_fields[index] == FieldKind.String) PutString(value, index);
            else PutZero(index);
        }

        public override void WriteDateTime(int index, DateTime value)
        {
            switch (_fields[index])
            {
                case FieldKind.DateTime: Put(FileTime(value)); break;
                case FieldKind.String: PutString(value.ToString("O", CultureInfo.InvariantCulture), index); break;
                default: PutZero(index); break;
            }
        }

        public override void WriteTimeSpan(int index, TimeSpan value)
        {
            switch (_fields[index])
            {
                case FieldKind.Int64: Put(value.Ticks); break;
                case FieldKind.String: PutString(value.ToString("c", CultureInfo.InvariantCulture), index); break;
                default: PutZero(index); break;
            }
        }

        public override void WriteGuid(int index, Guid value)
        {
            switch (_fields[index])
            {
                case FieldKind.Guid: Put(value); break;
                case FieldKind.String: PutString(value.ToString(), index); break;
                default: PutZero(index); break;
            }
        }

        public override void WriteNull(int index) => PutZero(index);

        // FILETIME: 100 ns since 1601-01-01 UTC; earlier times are written as 0.
        static long FileTime(DateTime value)
        {
            var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
            return Math.Max(0, utc.Ticks - 504911232000000000L);
        }

        // Fixed-size values always fit: a string before them leaves their room (RoomAfter).
        void Put<T>(T value) where T : unmanaged
        {
            MemoryMarshal.Write(Buffer.AsSpan(Length), in value);
            Length += sizeof(T);
        }

        // The field type's zero: an empty string, 0, false, the zero Guid.
        void PutZero(int index)
        {
            var size = SizeOf(_fields[index]);
            Buffer.AsSpan(Length, size).Clear();
            Length += size;
        }

        // UTF-16 characters and a NUL, cut so that the fields after it still fit.
        void PutString(string value, int index)
        {
            var room = (Buffer.Length - Length - _roomAfter[index]) / 2 - 1;
            var chars = value.AsSpan(0, Math.Min(value.Length, room));
            MemoryMarshal.AsBytes(chars).CopyTo(Buffer.AsSpan(Length));
            Length += chars.Length * 2;
            Buffer[Length++] = 0;
            Buffer[Length++] = 0;
        }
    }
}
#endif
