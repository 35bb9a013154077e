using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Tracing.Recording.Internal;

/// <summary>
/// The writer side of a recorder: turns the records drained from thread buffers into events of
/// a <see cref="ChromeTraceWriter"/> (instants, span begins and ends, thread names, drops).
/// </summary>
sealed class ChromeRecordReader
{
    static readonly ChromeTraceName s_dropped = new(TraceRecorder.DroppedEventName);
    static readonly ChromeTraceName s_droppedCount = new("dropped");
    static readonly ChromeTraceName s_droppedTotal = new("total");

    readonly ChromeTraceWriter _writer;
    readonly long _pid;
    readonly Dictionary<string, int> _spanBegins = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _spanEnds = new(StringComparer.Ordinal);
    readonly ChromeTraceName[] _spanNames;
    EventShape?[] _shapes = new EventShape?[64];
    EventShape _current = null!;

    internal ChromeRecordReader(ChromeTraceWriter writer, long pid, IEnumerable<(string Begin, string End)> spans)
    {
        _writer = writer;
        _pid = pid;
        var list = spans.ToList();
        _spanNames = new ChromeTraceName[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            _spanBegins[list[i].Begin] = i;
            _spanEnds[list[i].End] = i;
            _spanNames[i] = new ChromeTraceName(list[i].Begin);
        }
    }

    /// <summary>Writes the thread's name when it is new or changed.</summary>
    internal void NameThread(ThreadBuffer thread)
    {
        var name = thread.Thread.Name;
        if (string.IsNullOrEmpty(name))
            name = thread.OsThreadId == _pid ? "Main thread" : $"Thread {thread.ManagedThreadId}";
        if (name == thread.WrittenName) return;
        _writer.WriteThreadName(_pid, thread.OsThreadId, name!);
        thread.WrittenName = name;
    }

    internal void WriteDropped(ThreadBuffer thread, long dropped, long total)
    {
        _writer.BeginEvent(ChromeTracePhase.Instant, s_dropped, _pid, thread.OsThreadId, Stopwatch.GetTimestamp());
        _writer.WriteArgument(s_droppedCount, dropped);
        _writer.WriteArgument(s_droppedTotal, total);
        _writer.EndEvent();
    }

    public void BeginRecord(ThreadBuffer thread, TraceEventInfo traceEvent, long timestamp)
    {
        var shape = _current = ShapeOf(traceEvent);
        if (shape.Span < 0)
        {
            // An instant, the common case: its line up to "ts": is made once per event and thread.
            var prefixes = thread.InstantPrefixes;
            var id = traceEvent.Id;
            if (id >= prefixes.Length) thread.InstantPrefixes = prefixes = Grown(prefixes, id);
            var prefix = prefixes[id] ??= ChromeTraceWriter.InstantPrefix(shape.Name, _pid, thread.OsThreadId);
            _writer.BeginInstant(prefix, timestamp);
            return;
        }
        var phase = ChromeTracePhase.Instant;
        var name = shape.Name;
        if (shape.Span >= 0)
        {
            var open = thread.OpenSpans ??= new int[_spanNames.Length];
            if (shape.BeginsSpan)
            {
                open[shape.Span]++;
                phase = ChromeTracePhase.Begin;
                name = _spanNames[shape.Span];
            }
            else if (open[shape.Span] > 0)
            {
                // An end with no begin on its thread (the recorder started in between) stays an instant.
                open[shape.Span]--;
                phase = ChromeTracePhase.End;
                name = _spanNames[shape.Span];
            }
        }
        _writer.BeginEvent(phase, name, _pid, thread.OsThreadId, timestamp);
    }

    static byte[]?[] Grown(byte[]?[] prefixes, int id)
    {
        Array.Resize(ref prefixes, Math.Max(id + 1, prefixes.Length * 2));
        return prefixes;
    }

    public void Value(int index, int kind, long bits, int extra)
    {
        var name = _current.Arguments[index];
        switch (kind)
        {
            case SlotKind.Null: _writer.WriteNullArgument(name); break;
            case SlotKind.Boolean: _writer.WriteArgument(name, bits != 0); break;
            case SlotKind.Int64: _writer.WriteArgument(name, bits); break;
            case SlotKind.UInt64: _writer.WriteArgument(name, unchecked((ulong)bits)); break;
            case SlotKind.Double: _writer.WriteArgument(name, BitConverter.Int64BitsToDouble(bits)); break;
            case SlotKind.Char: _writer.WriteArgument(name, (char)bits); break;
            case SlotKind.DateTime: _writer.WriteArgument(name, new DateTime(bits, (DateTimeKind)extra)); break;
            case SlotKind.TimeSpan: _writer.WriteArgument(name, new TimeSpan(bits)); break;
            default: throw new InvalidOperationException($"Tracing.Recording: a buffer slot of unknown kind {kind} (a recorder bug).");
        }
    }

    public void String(int index, string value) => _writer.WriteArgument(_current.Arguments[index], value);

    public void Decimal(int index, decimal value) => _writer.WriteArgument(_current.Arguments[index], value);

    public void Guid(int index, Guid value) => _writer.WriteArgument(_current.Arguments[index], value);

    public void EndRecord() => _writer.EndEvent();

    EventShape ShapeOf(TraceEventInfo traceEvent)
    {
        var id = traceEvent.Id;
        if (id >= _shapes.Length) Array.Resize(ref _shapes, Math.Max(id + 1, _shapes.Length * 2));
        if (_shapes[id] is { } known) return known;
        var span = -1;
        var begins = false;
        if (_spanBegins.TryGetValue(traceEvent.FullName, out var b))
        {
            span = b;
            begins = true;
        }
        else if (_spanEnds.TryGetValue(traceEvent.FullName, out var e))
        {
            span = e;
        }
        var shape = new EventShape(
            new ChromeTraceName(traceEvent.FullName),
            traceEvent.Parameters.Select(p => new ChromeTraceName(p.Name)).ToArray(),
            span,
            begins);
        return _shapes[id] = shape;
    }

    sealed class EventShape
    {
        public EventShape(ChromeTraceName name, ChromeTraceName[] arguments, int span, bool beginsSpan)
        {
            Name = name;
            Arguments = arguments;
            Span = span;
            BeginsSpan = beginsSpan;
        }

        public ChromeTraceName Name { get; }
        public ChromeTraceName[] Arguments { get; }
        public int Span { get; }
        public bool BeginsSpan { get; }
    }
}
