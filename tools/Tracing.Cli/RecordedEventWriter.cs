using System;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Microsoft.Diagnostics.Tracing;
using Tracing.Recording;

namespace Tracing.Cli;

/// <summary>
/// Writes the events <c>tracing record -p</c> reads (the <c>Tracing</c> provider's, as TraceEvent
/// parses them) into Chrome Trace Event JSON, on a thread of its own: a pipeline of two threads, so
/// that reading the session and formatting the JSON each get a core.
/// </summary>
/// <remarks>
/// <para>
/// The reader's side (<see cref="Add"/>, on TraceEvent's thread) copies each event's id, thread,
/// timestamp and payload bytes into a chunk and hands full chunks over; the writer's side decodes
/// each payload by its event's field types and formats it. Per event, the reader pays a lookup and
/// a copy of a few dozen bytes: no boxing, no string, no formatting.
/// </para>
/// <para>
/// An event's name, field names and field types are read once, at its first firing (TraceEvent
/// knows them from the event's EventPipe metadata): a field's type is the type of the value
/// TraceEvent gives for it. An event with a field of another kind (an array, a struct: not one the
/// bridge writes) is decoded by TraceEvent on the reader's side, and its values handed over boxed.
/// </para>
/// <para>
/// At most <see cref="ChunksInFlight"/> full chunks wait for the writer; when it falls further
/// behind, <see cref="Add"/> waits, TraceEvent stops reading the session, and EventPipe's buffers in
/// the process absorb the rest, or drop what they cannot hold (which TraceEvent counts).
/// </para>
/// </remarks>
sealed class RecordedEventWriter
{
    const int ChunkSize = 1 << 20;
    const int ChunksInFlight = 16;
    const int RecordHeader = 4 + 4 + 4 + 8; // event id, payload length (-1: boxed), thread id, timestamp
    const int Boxed = -1;
    const int ThreadNameRecord = -1; // an event id no event has: the record is a thread's name

    readonly ChromeTraceWriter _writer;
    readonly long _pid;
    readonly Layout?[] _layouts = new Layout?[ushort.MaxValue + 1]; // by event id; set by the reader, read by the writer after the chunk handover
    readonly BlockingCollection<Chunk> _full = new(ChunksInFlight);
    readonly ConcurrentQueue<Chunk> _free = new();
    readonly Thread _thread;
    Chunk _current = new();
    volatile Exception? _failure;

    public RecordedEventWriter(ChromeTraceWriter writer, long pid)
    {
        _writer = writer;
        _pid = pid;
        _thread = new Thread(Write) { IsBackground = true, Name = "JSON writer" };
        _thread.Start();
    }

    /// <summary>Events written into the JSON (by the writer's thread; read after <see cref="Complete"/>).</summary>
    public long Written { get; private set; }

    /// <summary>What an EventPipe field holds, as TraceEvent reads it.</summary>
    enum Kind : byte { Int64, UInt64, Int32, UInt32, Int16, UInt16, SByte, Byte, Double, Single, Boolean, Char, DateTime, Guid, String }

    /// <summary>One event's names, encoded for the JSON once, and field kinds (null: decoded by TraceEvent).</summary>
    sealed record Layout(ChromeTraceName Name, ChromeTraceName[] Fields, Kind[]? Kinds);

    sealed class Chunk
    {
        public readonly byte[] Bytes = new byte[ChunkSize];
        public readonly List<object?[]> Values = new(); // the values of events decoded by TraceEvent, in order
        public int Length;
    }

    /// <summary>Copies one event for the writer. On TraceEvent's thread; after a failure of the writer, does nothing.</summary>
    public void Add(TraceEvent e)
    {
        if (_failure is not null) return; // Complete reports it
        var id = (int)e.ID;
        var layout = _layouts[id];
        if (layout is null || layout.Name.Text != e.EventName) _layouts[id] = layout = Read(e);
        var length = layout.Kinds is null ? 0 : e.EventDataLength;
        if (_current.Length + RecordHeader + length > ChunkSize) Hand();
        var chunk = _current;
        var record = chunk.Bytes.AsSpan(chunk.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record, id);
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], layout.Kinds is null ? Boxed : length);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], e.ThreadID);
        // The event's raw timestamp in the process's Stopwatch ticks (what the writer is made with), not
        // TimeStampRelativeMSec's session-relative milliseconds, which TraceEvent recommends instead
        // but which no in-process trace of the same app could be lined up with.
#pragma warning disable CS0618 // "Not Obsolete but Discouraged"
        BinaryPrimitives.WriteInt64LittleEndian(record[12..], e.TimeStampQPC);
#pragma warning restore CS0618
        if (layout.Kinds is null)
        {
            var values = new object?[layout.Fields.Length];
            for (var i = 0; i < values.Length; i++) values[i] = e.PayloadValue(i);
            chunk.Values.Add(values);
        }
        else
        {
            e.EventData(chunk.Bytes, chunk.Length + RecordHeader, 0, length);
        }
        chunk.Length += RecordHeader + length;
    }

    /// <summary>The name of the thread <paramref name="e"/> came from, for the writer to write as the thread's metadata. On TraceEvent's thread.</summary>
    public void AddThreadName(TraceEvent e, string name)
    {
        if (_failure is not null) return;
        if (_current.Length + RecordHeader > ChunkSize) Hand();
        var chunk = _current;
        var record = chunk.Bytes.AsSpan(chunk.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record, ThreadNameRecord);
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], Boxed);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], e.ThreadID);
        BinaryPrimitives.WriteInt64LittleEndian(record[12..], 0);
        chunk.Values.Add(new object?[] { name });
        chunk.Length += RecordHeader;
    }

    /// <summary>
    /// Hands the last chunk over and waits until the writer has written everything. On the reader's
    /// side, after its last <see cref="Add"/>. The writer's failure (a full disk), if any, or null.
    /// </summary>
    public Exception? Complete()
    {
        if (_current.Length > 0) Hand();
        _full.CompleteAdding();
        _thread.Join();
        return _failure;
    }

    void Hand()
    {
        _full.Add(_current); // waits while ChunksInFlight chunks are waiting
        _current = _free.TryDequeue(out var free) ? free : new Chunk();
    }

    static Layout Read(TraceEvent e)
    {
        var names = e.PayloadNames;
        var fields = new ChromeTraceName[names.Length];
        var kinds = new Kind[names.Length];
        var decodable = true;
        for (var i = 0; i < names.Length; i++)
        {
            fields[i] = new ChromeTraceName(names[i]);
            var kind = KindOf(e.PayloadValue(i));
            if (kind is { } k) kinds[i] = k;
            else decodable = false;
        }
        return new Layout(new ChromeTraceName(e.EventName), fields, decodable ? kinds : null);
    }

    static Kind? KindOf(object? value) => value switch
    {
        long => Kind.Int64,
        ulong => Kind.UInt64,
        int => Kind.Int32,
        uint => Kind.UInt32,
        short => Kind.Int16,
        ushort => Kind.UInt16,
        sbyte => Kind.SByte,
        byte => Kind.Byte,
        double => Kind.Double,
        float => Kind.Single,
        bool => Kind.Boolean,
        char => Kind.Char,
        DateTime => Kind.DateTime,
        Guid => Kind.Guid,
        string => Kind.String,
        _ => null,
    };

    void Write()
    {
        try
        {
            foreach (var chunk in _full.GetConsumingEnumerable())
            {
                var boxed = 0;
                for (var at = 0; at < chunk.Length;)
                {
                    var record = chunk.Bytes.AsSpan(at, chunk.Length - at);
                    var id = BinaryPrimitives.ReadInt32LittleEndian(record);
                    var length = BinaryPrimitives.ReadInt32LittleEndian(record[4..]);
                    var tid = BinaryPrimitives.ReadInt32LittleEndian(record[8..]);
                    if (id == ThreadNameRecord)
                    {
                        _writer.WriteThreadName(_pid, tid, (string)chunk.Values[boxed++][0]!);
                        at += RecordHeader;
                        continue;
                    }
                    var layout = _layouts[id]!;
                    var timestamp = BinaryPrimitives.ReadInt64LittleEndian(record[12..]);
                    _writer.BeginEvent(ChromeTracePhase.Instant, layout.Name, _pid, tid, timestamp);
                    if (length == Boxed)
                    {
                        var values = chunk.Values[boxed++];
                        for (var i = 0; i < values.Length; i++) WriteValue(_writer, layout.Fields[i], values[i]);
                        length = 0;
                    }
                    else
                    {
                        Decode(layout, record.Slice(RecordHeader, length));
                    }
                    _writer.EndEvent();
                    Written++;
                    at += RecordHeader + length;
                }
                chunk.Length = 0;
                chunk.Values.Clear();
                _free.Enqueue(chunk);
            }
        }
        catch (Exception e)
        {
            _failure = e;
            // Let the reader's side go on (and see the failure at its next Add) instead of waiting for room.
            foreach (var _ in _full.GetConsumingEnumerable()) { }
        }
    }

    // The fields in EventPipe's encoding (little-endian, a string as UTF-16 up to a NUL). A payload
    // shorter than its fields (never written by the bridge) gets the missing ones as null.
    void Decode(Layout layout, ReadOnlySpan<byte> payload)
    {
        var kinds = layout.Kinds!;
        for (var i = 0; i < kinds.Length; i++)
        {
            var name = layout.Fields[i];
            var size = kinds[i] switch
            {
                Kind.Int64 or Kind.UInt64 or Kind.Double or Kind.DateTime => 8,
                Kind.Int32 or Kind.UInt32 or Kind.Single or Kind.Boolean => 4, // EventPipe's Boolean is 32 bits
                Kind.Int16 or Kind.UInt16 or Kind.Char => 2,
                Kind.SByte or Kind.Byte => 1,
                Kind.Guid => 16,
                _ => 0, // a string: up to its NUL
            };
            if (payload.Length < size)
            {
                _writer.WriteNullArgument(name);
                payload = default;
                continue;
            }
            switch (kinds[i])
            {
                case Kind.Int64: _writer.WriteArgument(name, BinaryPrimitives.ReadInt64LittleEndian(payload)); break;
                case Kind.UInt64: _writer.WriteArgument(name, BinaryPrimitives.ReadUInt64LittleEndian(payload)); break;
                case Kind.Int32: _writer.WriteArgument(name, BinaryPrimitives.ReadInt32LittleEndian(payload)); break;
                case Kind.UInt32: _writer.WriteArgument(name, (ulong)BinaryPrimitives.ReadUInt32LittleEndian(payload)); break;
                case Kind.Int16: _writer.WriteArgument(name, BinaryPrimitives.ReadInt16LittleEndian(payload)); break;
                case Kind.UInt16: _writer.WriteArgument(name, (ulong)BinaryPrimitives.ReadUInt16LittleEndian(payload)); break;
                case Kind.SByte: _writer.WriteArgument(name, (sbyte)payload[0]); break;
                case Kind.Byte: _writer.WriteArgument(name, (ulong)payload[0]); break;
                case Kind.Double: _writer.WriteArgument(name, BinaryPrimitives.ReadDoubleLittleEndian(payload)); break;
                case Kind.Single: _writer.WriteArgument(name, (double)BinaryPrimitives.ReadSingleLittleEndian(payload)); break;
                case Kind.Boolean: _writer.WriteArgument(name, BinaryPrimitives.ReadInt32LittleEndian(payload) != 0); break;
                case Kind.Char: _writer.WriteArgument(name, (char)BinaryPrimitives.ReadUInt16LittleEndian(payload)); break;
                case Kind.DateTime: _writer.WriteArgument(name, FromFileTime(BinaryPrimitives.ReadInt64LittleEndian(payload))); break;
                case Kind.Guid: _writer.WriteArgument(name, new Guid(payload[..16])); break;
                default:
                    var end = 0;
                    while (end + 1 < payload.Length && (payload[end] | payload[end + 1]) != 0) end += 2;
                    _writer.WriteArgument(name, Encoding.Unicode.GetString(payload[..end]));
                    size = Math.Min(payload.Length, end + 2);
                    break;
            }
            payload = payload[size..];
        }
    }

    // FILETIME (100 ns since 1601, UTC) as a UTC DateTime; one out of range is the earliest.
    static DateTime FromFileTime(long fileTime) =>
        fileTime >= 0 && fileTime <= DateTime.MaxValue.Ticks - 504911232000000000L
            ? DateTime.FromFileTimeUtc(fileTime)
            : DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);

    internal static void WriteValue(ChromeTraceWriter writer, ChromeTraceName name, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullArgument(name); break;
            case string s: writer.WriteArgument(name, s); break;
            case long v: writer.WriteArgument(name, v); break;
            case ulong v: writer.WriteArgument(name, v); break;
            case double v: writer.WriteArgument(name, v); break;
            case bool v: writer.WriteArgument(name, v); break;
            case char v: writer.WriteArgument(name, v); break;
            case DateTime v: writer.WriteArgument(name, v.ToUniversalTime()); break;
            case Guid v: writer.WriteArgument(name, v); break;
            default: writer.WriteArgument(name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""); break;
        }
    }
}
