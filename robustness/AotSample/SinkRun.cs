using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Tracing;

namespace Torture;

/// <summary>
/// <c>AotSample sink</c>: attaches a sink to every event by filter (the mechanism recorders and
/// bridges use: a tap factory registered by the module initializer, a generic adapter the weaver
/// instantiated) and prints one line per firing, so the test can check that it works in a native
/// program, where nothing may be made at run time.
/// </summary>
static class SinkRun
{
    public static IEnumerable<string> Run()
    {
        var sink = new LineSink();
        var pg = new ProbeGroup();
        Trace.Setup(() => Trace.AttachSink(pg, TraceEventFilter.Parse(new[] { "Torture.Events.*" }), sink));
        Events.Trace0();
        Events.Trace1(42);
        Events.TracePair("pair", -7);
        Events.Trace8(1, 2, 3.5, true, 'c', "eight", Color.Green, null);
        Events.TraceColor(Color.Red);
        Events.TraceNullable(null);
        Events.TraceNullable(9);
        Events.TracePoint(new Point(1, 2));
        Events.TraceTuple((3, "three"));
        pg.Done();
        Trace.Synchronize();
        Events.Trace1(43); // detached: not recorded
        return sink.Lines;
    }

    sealed class LineSink : TraceEventSink
    {
        readonly LineWriter _writer = new();
        public readonly List<string> Lines = new();

        protected override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent)
        {
            _writer.Text.Clear().Append("sink:").Append(traceEvent.FullName).Append('(');
            _writer.Event = traceEvent;
            return _writer;
        }

        protected override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer) => Lines.Add(_writer.Text.Append(')').ToString());
    }

    sealed class LineWriter : TraceValueWriter
    {
        public readonly StringBuilder Text = new();
        public TraceEventInfo? Event;

        void Add(int index, string value)
        {
            if (index > 0) Text.Append(", ");
            Text.Append(Event!.Parameters[index].Name).Append('=').Append(value);
        }

        public override void WriteNull(int index) => Add(index, "null");
        public override void WriteBoolean(int index, bool value) => Add(index, value ? "true" : "false");
        public override void WriteInt64(int index, long value) => Add(index, value.ToString(CultureInfo.InvariantCulture));
        public override void WriteUInt64(int index, ulong value) => Add(index, value.ToString(CultureInfo.InvariantCulture));
        public override void WriteDouble(int index, double value) => Add(index, value.ToString("R", CultureInfo.InvariantCulture));
        public override void WriteChar(int index, char value) => Add(index, "'" + value + "'");
        public override void WriteString(int index, string value) => Add(index, "\"" + value + "\"");
        public override void WriteDateTime(int index, DateTime value) => Add(index, value.ToString("O", CultureInfo.InvariantCulture));
        public override void WriteTimeSpan(int index, TimeSpan value) => Add(index, value.ToString("c", CultureInfo.InvariantCulture));
        public override void WriteGuid(int index, Guid value) => Add(index, value.ToString("D"));
    }
}
