using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Tracing.Fody.Tests.Consumers;

/// <summary>
/// A sink that writes each firing as one line, <c>Event(name=kind:value, …)</c>, so tests can
/// compare exact sequences. The kind says which writer method the value came through:
/// i (Int64), u (UInt64), d (Double), m (Decimal), b, c, s, t (DateTime), ts, g, and null.
/// </summary>
public sealed class RecordingSink : TraceEventSink
{
    readonly object _gate = new();
    readonly List<string> _lines = new();
    [ThreadStatic] static LineWriter? t_writer;

    public Func<TraceEventInfo, bool> Accept { get; set; } = _ => true;

    public List<string> Lines
    {
        get
        {
            lock (_gate) return new List<string>(_lines);
        }
    }

    public List<(TraceEventInfo Event, Exception Error)> AttachFailures { get; } = new();

    protected internal override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent)
    {
        if (!Accept(traceEvent)) return null;
        var writer = t_writer ??= new LineWriter();
        writer.Start(traceEvent);
        return writer;
    }

    protected internal override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer)
    {
        var line = ((LineWriter)writer).Finish();
        lock (_gate) _lines.Add(line);
    }

    protected internal override void OnAttachFailed(TraceEventInfo traceEvent, Exception error)
    {
        lock (_gate) AttachFailures.Add((traceEvent, error));
    }

    sealed class LineWriter : TraceValueWriter
    {
        readonly StringBuilder _text = new();
        TraceEventInfo? _event;

        public void Start(TraceEventInfo traceEvent)
        {
            _event = traceEvent;
            _text.Clear().Append(traceEvent.Name).Append('(');
        }

        public string Finish() => _text.Append(')').ToString();

        void Add(int index, string kind, string value)
        {
            if (index > 0) _text.Append(", ");
            _text.Append(_event!.Parameters[index].Name).Append('=').Append(kind).Append(value);
        }

        public override void WriteNull(int index) => Add(index, "", "null");
        public override void WriteBoolean(int index, bool value) => Add(index, "b:", value ? "true" : "false");
        public override void WriteInt64(int index, long value) => Add(index, "i:", value.ToString(CultureInfo.InvariantCulture));
        public override void WriteUInt64(int index, ulong value) => Add(index, "u:", value.ToString(CultureInfo.InvariantCulture));
        public override void WriteDouble(int index, double value) => Add(index, "d:", value.ToString("R", CultureInfo.InvariantCulture));
        public override void WriteDecimal(int index, decimal value) => Add(index, "m:", value.ToString(CultureInfo.InvariantCulture));
        public override void WriteChar(int index, char value) => Add(index, "c:", value.ToString());
        public override void WriteString(int index, string value) => Add(index, "s:", value);
        public override void WriteDateTime(int index, DateTime value) => Add(index, "t:", value.ToString("O", CultureInfo.InvariantCulture));
        public override void WriteTimeSpan(int index, TimeSpan value) => Add(index, "ts:", value.ToString("c", CultureInfo.InvariantCulture));
        public override void WriteGuid(int index, Guid value) => Add(index, "g:", value.ToString("D"));
    }
}
