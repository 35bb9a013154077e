using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace Tracing.OpenTelemetry.Internal;

/// <summary>
/// The tracing side: a firing inside a recorded span becomes a span event of it; a begin/end pair
/// of events becomes a span of its own.
/// </summary>
internal sealed class SpanSink : TraceEventSink
{
    internal static readonly ActivitySource Source =
        new(TraceEventsOptions.ActivitySourceName, typeof(SpanSink).Assembly.GetName().Version?.ToString(3));

    // What each event is to this sink, by full name: a pair's begin or end (by the pair's index).
    readonly Dictionary<string, (Role Role, int Pair)> _pairEvents = new(StringComparer.Ordinal);
    readonly PerEvent<EventShape> _shapes;

    [ThreadStatic] static TagWriter? t_writer;
    [ThreadStatic] static OpenSpan? t_open; // this thread's spans started by begin events, innermost first

    public SpanSink(IList<(string Begin, string End)> spans)
    {
        for (var i = 0; i < spans.Count; i++)
        {
            _pairEvents[spans[i].Begin] = (Role.Begin, i);
            _pairEvents[spans[i].End] = (Role.End, i);
        }
        _shapes = new PerEvent<EventShape>(Shape);
    }

    EventShape Shape(TraceEventInfo traceEvent) =>
        _pairEvents.TryGetValue(traceEvent.FullName, out var pair)
            ? new EventShape(traceEvent, pair.Role, pair.Pair)
            : new EventShape(traceEvent, Role.SpanEvent, -1);

    // Cost model, per firing of a span event: an array load (the event's shape) and a read of
    // Activity.Current. With no current span, or one not recorded, that is all: null, nothing
    // allocated, the arguments are not looked at. Inside a recorded span: the tag collection, the
    // boxed numbers and the text of non-numbers, and Activity.AddEvent's own node, as when the
    // event is added by hand.
    protected override TraceValueWriter? BeginEvent(TraceEventInfo traceEvent)
    {
        var shape = _shapes.Get(traceEvent);
        switch (shape.Role)
        {
            case Role.SpanEvent when Activity.Current is not { IsAllDataRequested: true, Recorded: true }:
            case Role.Begin when !Source.HasListeners(): // no provider listens: no span to start
            case Role.End when t_open is null: // no span of a pair is open on this thread
                return null;
        }
        var writer = t_writer;
        if (writer is null || writer.InUse) t_writer = writer = new TagWriter(); // a firing inside an argument's ToString
        writer.Start(shape);
        return writer;
    }

    protected override void EndEvent(TraceEventInfo traceEvent, TraceValueWriter writer)
    {
        var tags = ((TagWriter)writer).Finish(out var shape);
        switch (shape.Role)
        {
            case Role.SpanEvent:
                // Activity.Current again: an argument's ToString may have changed it.
                Activity.Current?.AddEvent(new ActivityEvent(shape.Name, DateTimeOffset.UtcNow, tags));
                break;
            case Role.Begin:
                // A child of the current span (or a root), and the current span until its end event.
                var activity = Source.StartActivity(shape.Name, ActivityKind.Internal, parentContext: default, tags);
                t_open = new OpenSpan(this, shape.Pair, activity, t_open);
                break;
            case Role.End:
                End(shape.Pair, tags);
                break;
        }
    }

    // Stops the innermost span of the pair this thread started; an end with no begin is ignored.
    void End(int pair, ActivityTagsCollection tags)
    {
        OpenSpan? previous = null;
        for (var open = t_open; open is not null; previous = open, open = open.Next)
        {
            if (open.Sink != this || open.Pair != pair) continue;
            if (previous is null) t_open = open.Next;
            else previous.Next = open.Next;
            if (open.Activity is { } activity)
            {
                foreach (var tag in tags) activity.SetTag(tag.Key, tag.Value);
                activity.Stop(); // the current span becomes its parent again
            }
            return;
        }
    }

    protected override void OnAttachFailed(TraceEventInfo traceEvent, Exception error) =>
        TraceEventsEventSource.Log.AttachFailed(traceEvent.ToString(), error.Message);

    internal enum Role { SpanEvent, Begin, End }

    internal sealed class EventShape
    {
        public EventShape(TraceEventInfo traceEvent, Role role, int pair)
        {
            Name = traceEvent.FullName;
            Role = role;
            Pair = pair;
            var names = new string[traceEvent.Parameters.Count];
            for (var i = 0; i < names.Length; i++) names[i] = traceEvent.Parameters[i].Name;
            ParameterNames = names;
        }

        public string Name { get; }
        public Role Role { get; }
        public int Pair { get; }
        public string[] ParameterNames { get; }
    }

    sealed class OpenSpan
    {
        public OpenSpan(SpanSink sink, int pair, Activity? activity, OpenSpan? next)
        {
            Sink = sink;
            Pair = pair;
            Activity = activity;
            Next = next;
        }

        public SpanSink Sink { get; }
        public int Pair { get; }
        public Activity? Activity { get; } // null: not sampled, nothing to stop
        public OpenSpan? Next { get; set; }
    }

    // One per thread: collects one firing's arguments as tags, by parameter name.
    sealed class TagWriter : AttributeWriter
    {
        EventShape? _shape;
        ActivityTagsCollection? _tags;

        public bool InUse => _shape is not null;

        public void Start(EventShape shape)
        {
            _shape = shape;
            _tags = new ActivityTagsCollection();
        }

        protected override void Add(int index, object? value) => _tags!.Add(_shape!.ParameterNames[index], value);

        public ActivityTagsCollection Finish(out EventShape shape)
        {
            shape = _shape!;
            var tags = _tags!;
            _shape = null;
            _tags = null;
            return tags;
        }
    }
}
