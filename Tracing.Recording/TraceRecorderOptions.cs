using System;
using System.Collections.Generic;

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
    /// Where <see cref="TraceRecorder.Dispose"/> reports dropped events (and events that could not
    /// be attached): standard error by default; null to say nothing (read
    /// <see cref="TraceRecorder.DroppedEvents"/> instead).
    /// </summary>
    public System.IO.TextWriter? Report { get; set; } = Console.Error;
}
