using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracing.Recording;

/// <summary>What a <see cref="TraceRecorder"/> records, and how.</summary>
public sealed class TraceRecorderOptions
{
    /// <summary>The default <see cref="ThreadBufferSize"/>: 1 MiB.</summary>
    public const int DefaultThreadBufferSize = 1 << 20;

    /// <summary>
    /// Globs over the events' full names, <c>Namespace.Type.Event</c> (<c>*</c>, <c>?</c>,
    /// <c>Assembly:Glob</c>; see <see cref="TraceEventFilter"/>). Empty: every event.
    /// </summary>
    public IList<string> Events { get; } = new List<string>();

    /// <summary>
    /// Pairs of events (full names, <c>Namespace.Type.Event</c>: no glob, no assembly prefix) that make a slice: on one thread, a firing of
    /// <c>Begin</c> opens a slice named after it (<c>"ph":"B"</c>, with its arguments) and the next
    /// firing of <c>End</c> closes it (<c>"ph":"E"</c>, with its arguments). Slices nest. An
    /// <c>End</c> with no open slice on its thread is recorded as an instant. The events of spans
    /// are recorded whether or not <see cref="Events"/> selects them.
    /// </summary>
    public IList<(string Begin, string End)> Spans { get; } = new List<(string Begin, string End)>();

    /// <summary>
    /// Bytes of buffer per recording thread (rounded down to a power of two of 24-byte slots; an
    /// event takes one slot plus one per argument, two for a decimal or Guid). When a thread
    /// fires faster than the writer drains, events that do not fit are dropped and counted.
    /// </summary>
    public int ThreadBufferSize { get; set; } = DefaultThreadBufferSize;

    /// <summary>How often the writer drains the buffers and flushes the file: at most 200 ms; 100 ms by default.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The process's name in the viewer; by default the entry assembly's name.</summary>
    public string? ProcessName { get; set; }

    /// <summary>
    /// Where <see cref="TraceRecorder.Dispose"/> reports dropped events, events that could not be
    /// attached, and globs or span events that matched no event of the assemblies loaded (a
    /// misspelt name): standard error by default; null to say nothing (read
    /// <see cref="TraceRecorder.DroppedEvents"/> instead).
    /// </summary>
    public System.IO.TextWriter? Report { get; set; } = Console.Error;

    /// <summary>
    /// Checks the options as <see cref="TraceRecorder.Start"/> does, without starting anything: a
    /// tool can report a mistake before it runs the work it was asked to record.
    /// </summary>
    /// <exception cref="ArgumentException">A glob is malformed, or a span is not a pair of two full event names, each in one span only.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="FlushInterval"/> or <see cref="ThreadBufferSize"/> is out of range.</exception>
    public void Validate() => Filter();

    // The checks, and the filter of the events to record: those of Events (every event when it
    // is empty) and those of the spans.
    internal TraceEventFilter Filter()
    {
        const string parameter = "options"; // TraceRecorder.Start's
        foreach (var (begin, end) in Spans)
        {
            if (string.IsNullOrEmpty(begin) || string.IsNullOrEmpty(end) || begin == end)
                throw new ArgumentException($"TraceRecorderOptions.Spans: ('{begin}', '{end}') is not a pair of two event names (Namespace.Type.Event).", parameter);
            // A span's events are matched by full name (TraceEventInfo.FullName): a glob or an
            // assembly prefix (Assembly:Name, which the Events globs accept) would never match.
            if (begin.IndexOfAny(new[] { '*', '?', ':' }) >= 0 || end.IndexOfAny(new[] { '*', '?', ':' }) >= 0)
                throw new ArgumentException($"TraceRecorderOptions.Spans: ('{begin}', '{end}') names events with a glob or an assembly; a span is a pair of full event names (Namespace.Type.Event).", parameter);
        }
        var names = Spans.SelectMany(s => new[] { s.Begin, s.End }).ToList();
        var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"TraceRecorderOptions.Spans: {duplicate.Key} is in more than one span; an event can begin or end one span.", parameter);
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromMilliseconds(200))
            throw new ArgumentOutOfRangeException(parameter, $"TraceRecorderOptions.FlushInterval is {FlushInterval}; it must be more than 0 and at most 200 ms.");
        if (ThreadBufferSize < 64 * 1024)
            throw new ArgumentOutOfRangeException(parameter, $"TraceRecorderOptions.ThreadBufferSize is {ThreadBufferSize}; it must be at least 64 KiB.");
        var globs = Events.ToList();
        if (globs.Count == 0) return TraceEventFilter.Parse(globs); // every event, the spans' among them
        return TraceEventFilter.Parse(globs.Concat(names));
    }
}
