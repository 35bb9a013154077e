using System;
using System.Collections.Generic;
using System.Linq;
using Tracing;
using Tracing.OpenTelemetry;
using Tracing.OpenTelemetry.Internal;

namespace OpenTelemetry.Trace;

/// <summary>Brings trace events into OpenTelemetry traces.</summary>
public static class TraceEventsTracerProviderBuilderExtensions
{
    /// <summary>
    /// Each firing of an event that one of <paramref name="events"/> matches, while
    /// <see cref="System.Diagnostics.Activity.Current"/> is recorded, becomes an
    /// <see cref="System.Diagnostics.ActivityEvent"/> of that span, named after the event
    /// (<c>Namespace.Type.Event</c>), with one tag per argument.
    /// </summary>
    /// <param name="builder">The tracer provider's builder.</param>
    /// <param name="events">Globs over events' full names, as <see cref="TraceEventFilter"/> takes them: <c>"MyLib.*"</c>.</param>
    /// <exception cref="ArgumentException">A glob is malformed, or there is none.</exception>
    public static TracerProviderBuilder AddTraceEvents(this TracerProviderBuilder builder, params string[] events)
    {
        if (events is null) throw new ArgumentNullException(nameof(events));
        if (events.Length == 0)
        {
            throw new ArgumentException(
                "AddTraceEvents: name the events, as globs over their full names (\"MyLib.*\"), or pass options.", nameof(events));
        }
        return builder.AddTraceEvents(o =>
        {
            foreach (var glob in events) o.Events.Add(glob);
        });
    }

    /// <summary>
    /// Brings the events of <see cref="TraceEventsOptions.Events"/> into traces as span events,
    /// and the pairs of <see cref="TraceEventsOptions.Spans"/> as spans of the
    /// <see cref="TraceEventsOptions.ActivitySourceName"/> source (added to the provider's sources).
    /// </summary>
    /// <remarks>
    /// The events are attached when the provider is built, in every woven assembly running then or
    /// later, and detached when it is disposed (with <see cref="Tracing.Trace.Synchronize"/>, so
    /// no firing is still adding to a span when the exporters flush).
    /// </remarks>
    /// <param name="builder">The tracer provider's builder.</param>
    /// <param name="configure">Sets the options; it runs at once.</param>
    /// <exception cref="ArgumentException">A glob or a pair is malformed, or nothing is asked for.</exception>
    public static TracerProviderBuilder AddTraceEvents(this TracerProviderBuilder builder, Action<TraceEventsOptions> configure)
    {
        if (builder is null) throw new ArgumentNullException(nameof(builder));
        if (configure is null) throw new ArgumentNullException(nameof(configure));
        var options = new TraceEventsOptions();
        configure(options);
        var spans = options.Spans.ToList();
        var filter = Filter(options.Events, spans);
        if (spans.Count > 0) builder.AddSource(TraceEventsOptions.ActivitySourceName);
        return builder.AddInstrumentation(() => new SinkAttachment(filter, new SpanSink(spans)));
    }

    static TraceEventFilter Filter(IList<string> events, List<(string Begin, string End)> spans)
    {
        if (events.Count == 0 && spans.Count == 0)
        {
            throw new ArgumentException(
                "AddTraceEvents: the options name no events and no spans. Add globs to Events (\"MyLib.*\") " +
                "or begin/end pairs to Spans.", "configure");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (begin, end) in spans)
        {
            CheckPairName(begin, "begin");
            CheckPairName(end, "end");
            if (begin == end) throw new ArgumentException($"AddTraceEvents: the span pair ({begin}, {end}) begins and ends with the same event.", "configure");
            foreach (var name in new[] { begin, end })
            {
                if (!names.Add(name))
                {
                    throw new ArgumentException(
                        $"AddTraceEvents: {name} is in more than one span pair; an event can begin or end one kind of span only.", "configure");
                }
            }
        }
        // The span events' globs and the pairs' names: a pair's event is a pair's event even when a glob matches it.
        var globs = events.Concat(names).ToList();
        return TraceEventFilter.TryParse(globs, out var filter, out var error)
            ? filter!
            : throw new ArgumentException("AddTraceEvents: " + error, "configure");
    }

    static void CheckPairName(string? name, string role)
    {
        if (string.IsNullOrEmpty(name) || name!.IndexOfAny(new[] { '*', '?', ':' }) >= 0)
        {
            throw new ArgumentException(
                $"AddTraceEvents: a span pair's {role} event must be one event's full name (Namespace.Type.Event), " +
                $"without wildcards or an assembly; got \"{name}\".", "configure");
        }
    }
}
