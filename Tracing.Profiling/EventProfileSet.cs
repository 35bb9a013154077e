using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Tracing.Profiling.Internal;

namespace Tracing.Profiling;

/// <summary>
/// Profiles of every trace event that a filter matches, one per event, in every woven assembly
/// running now or starting later (what <c>tracing profile</c> records in a program).
/// </summary>
/// <example>
/// <code>
/// using var profiles = EventProfileSet.Start(TraceEventFilter.Parse(new[] { "MyLib.Net.*" }));
/// RunTheWorkload();
/// profiles.SaveAll("profiles");   // profiles/MyLib.Net.TraceSent.pb.gz, …
/// </code>
/// </example>
/// <remarks>
/// One sink attached by filter (<see cref="Trace.AttachSink(ProbeGroup, TraceEventFilter, TraceEventSink)"/>)
/// in one <see cref="ProbeGroup"/>; each event's profile is what <see cref="EventProfile"/> would
/// have recorded for it with the same options. An event that lacks the
/// <see cref="EventProfileOptions.Value"/> parameter (or whose one is not numeric) is profiled
/// with counts only, and <see cref="Problems"/> says so.
/// </remarks>
public sealed class EventProfileSet : IDisposable
{
    readonly Recording _recording;
    readonly TraceEventFilter _filter;

    EventProfileSet(TraceEventFilter filter, EventProfileOptions options)
    {
        _filter = filter;
        _recording = new Recording(options);
        Trace.Setup(() => Trace.AttachSink(_recording.Group, filter, _recording.Sink));
    }

    /// <summary>Starts profiling every event <paramref name="filter"/> matches, now and in assemblies that start running later.</summary>
    /// <param name="filter">Which events (<see cref="TraceEventFilter.Parse"/>).</param>
    /// <param name="options">What to record besides counts; null for counts of every firing.</param>
    /// <exception cref="NotSupportedException">A matching event of a running assembly has a ref struct parameter.</exception>
    public static EventProfileSet Start(TraceEventFilter filter, EventProfileOptions? options = null) =>
        new(filter ?? throw new ArgumentNullException(nameof(filter)), options ?? new EventProfileOptions());

    /// <summary>
    /// The profiled events: the matching events of the woven assemblies loaded in the process and
    /// every event that fired, by full name.
    /// </summary>
    public IReadOnlyList<TraceEventInfo> Events =>
        Trace.LoadedEvents().Where(_filter.Matches)
            .Concat(_recording.Sink.Slots().Select(s => s.Event))
            .Distinct()
            .OrderBy(e => e.FullName, StringComparer.Ordinal).ThenBy(e => e.AssemblyName, StringComparer.Ordinal)
            .ToList();

    /// <summary>What could not be profiled as asked: events without the value parameter, events that could not be attached.</summary>
    public IReadOnlyList<string> Problems =>
        _recording.Sink.Slots().Where(s => s.Problem is not null).Select(s => s.Problem!)
            .Concat(_recording.Sink.AttachFailures())
            .ToList();

    /// <summary>Stops recording every profile: detaches and waits until no firing is still adding to one.</summary>
    public void Stop() => _recording.Stop();

    /// <summary>Stops recording (<see cref="Stop"/>) and writes the profile of <paramref name="traceEvent"/>, one of <see cref="Events"/>.</summary>
    public void WriteTo(TraceEventInfo traceEvent, Stream stream)
    {
        if (traceEvent is null) throw new ArgumentNullException(nameof(traceEvent));
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (!_filter.Matches(traceEvent)) throw new ArgumentException($"EventProfileSet: {traceEvent} is not one of the profiled events ({_filter}).", nameof(traceEvent));
        _recording.Write(_recording.Sink.Slot(traceEvent), stream);
    }

    /// <summary>
    /// Stops recording (<see cref="Stop"/>) and writes one file per event of <see cref="Events"/>
    /// into <paramref name="directory"/> (created if needed): <c>Namespace.Type.Event.pb.gz</c>,
    /// or <c>Assembly.Namespace.Type.Event.pb.gz</c> where two assemblies declare the same name.
    /// </summary>
    /// <returns>The paths written, in the order of <see cref="Events"/>.</returns>
    public IReadOnlyList<string> SaveAll(string directory)
    {
        if (directory is null) throw new ArgumentNullException(nameof(directory));
        Stop();
        Directory.CreateDirectory(directory);
        var events = Events;
        var paths = new List<string>();
        foreach (var traceEvent in events)
        {
            var shared = events.Count(e => e.FullName == traceEvent.FullName) > 1;
            var path = Path.Combine(directory, (shared ? traceEvent.AssemblyName + "." : "") + traceEvent.FullName + ".pb.gz");
            using (var file = File.Create(path)) WriteTo(traceEvent, file);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Stops recording, as <see cref="Stop"/>; what was recorded can still be written.</summary>
    public void Dispose() => Stop();
}
