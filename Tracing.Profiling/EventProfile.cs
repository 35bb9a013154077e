using System;
using System.IO;
using System.Linq;
using Tracing.Profiling.Internal;

namespace Tracing.Profiling;

/// <summary>
/// A profile of one trace event (go123/tracing's "profile"): the stacks of the code that fired
/// it, aggregated by stack, each with the number of firings and, optionally, the sum of a numeric
/// parameter. Written in pprof's format for <c>go tool pprof</c>, speedscope or Perfetto.
/// </summary>
/// <example>
/// <code>
/// using var profile = EventProfile.Start(Net.TraceSent);
/// RunTheWorkload();
/// profile.Save("sent.pb.gz");
/// </code>
/// </example>
/// <remarks>
/// <para>
/// The profile is a sink (<see cref="TraceEventSink"/>) attached to the event in its own
/// <see cref="ProbeGroup"/>: it runs beside the event's other probes, on the firing thread, and
/// costs that thread a stack capture per recorded firing (see docs/profiling.md). It records from
/// <c>Start</c> until <see cref="Stop"/>, <see cref="Dispose"/>, <see cref="Save"/> or
/// <see cref="WriteTo"/>, which detach it and wait (<see cref="Trace.Synchronize"/>) until no
/// firing is still adding to it, so the file is consistent.
/// </para>
/// <para>
/// Each sample is a stack, leaf first: the method that fired the event, at the line of the call,
/// then its callers. The frames of the dispatch and of the profile itself are removed. Sample
/// types: <c>events/count</c>, and <c>&lt;parameter&gt;/&lt;unit&gt;</c> when
/// <see cref="EventProfileOptions.Value"/> is set.
/// </para>
/// </remarks>
public sealed class EventProfile : IDisposable
{
    readonly Recording _recording;
    readonly EventSlot _slot;

    EventProfile(TraceEventInfo traceEvent, EventProfileOptions options)
    {
        _recording = new Recording(options);
        _slot = _recording.Sink.Slot(traceEvent, strict: true); // a Value that does not fit throws here
        Trace.Setup(() => Trace.AttachSink(_recording.Group, traceEvent, _recording.Sink));
    }

    /// <summary>The profiled event.</summary>
    public TraceEventInfo Event => _slot.Event;

    /// <summary>Starts profiling an event given as a method group: <c>EventProfile.Start(Net.TraceSent)</c>.</summary>
    /// <param name="traceEvent">The event's method group.</param>
    /// <param name="options">What to record besides counts; null for counts of every firing.</param>
    /// <exception cref="ArgumentException">Not a trace event of a woven assembly, or <paramref name="options"/> do not fit it.</exception>
    public static EventProfile Start(Delegate traceEvent, EventProfileOptions? options = null) =>
        Start(Trace.EventOf(traceEvent ?? throw new ArgumentNullException(nameof(traceEvent))), options);

    /// <summary>
    /// Starts profiling an event given by its full name, <c>"MyLib.Net.TraceSent"</c> (or
    /// <c>"MyLib:MyLib.Net.TraceSent"</c> to name its assembly too), declared by a woven assembly
    /// loaded in this process. (<see cref="EventProfileSet"/> also reaches assemblies that load later.)
    /// </summary>
    /// <param name="fullName">The event's full name, as <c>tracing list</c> prints it.</param>
    /// <param name="options">What to record besides counts; null for counts of every firing.</param>
    /// <exception cref="ArgumentException">No loaded assembly declares the event, or two do, or <paramref name="options"/> do not fit it.</exception>
    public static EventProfile Start(string fullName, EventProfileOptions? options = null)
    {
        if (fullName is null) throw new ArgumentNullException(nameof(fullName));
        var colon = fullName.IndexOf(':');
        var assembly = colon < 0 ? null : fullName.Substring(0, colon);
        var name = colon < 0 ? fullName : fullName.Substring(colon + 1);
        var found = Trace.LoadedEvents().Where(e => e.FullName == name && (assembly is null || e.AssemblyName == assembly)).ToList();
        return found.Count switch
        {
            1 => Start(found[0], options),
            0 => throw new ArgumentException(
                $"EventProfile.Start: no woven assembly loaded in this process declares the trace event {fullName}. " +
                "An assembly loads when code that uses it first runs; `tracing list` shows an assembly's events, " +
                "and EventProfileSet also profiles assemblies that load later.", nameof(fullName)),
            _ => throw new ArgumentException(
                $"EventProfile.Start: {string.Join(" and ", found.Select(e => e.AssemblyName))} all declare {name}: " +
                $"name the assembly too, as in \"{found[0].AssemblyName}:{name}\".", nameof(fullName)),
        };
    }

    /// <summary>Starts profiling an event from <see cref="Trace.Events"/> or <see cref="Trace.LoadedEvents"/>.</summary>
    /// <param name="traceEvent">The event.</param>
    /// <param name="options">What to record besides counts; null for counts of every firing.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> do not fit the event.</exception>
    /// <exception cref="NotSupportedException">The event has a ref struct parameter, which no sink can receive.</exception>
    public static EventProfile Start(TraceEventInfo traceEvent, EventProfileOptions? options = null) =>
        new(traceEvent ?? throw new ArgumentNullException(nameof(traceEvent)), options ?? new EventProfileOptions());

    /// <summary>
    /// Stops recording: detaches the profile and waits until no firing is still adding to it.
    /// Harmless when stopped already. What was recorded stays, to be written.
    /// </summary>
    public void Stop() => _recording.Stop();

    // The per-thread recorders the profile made (tests: threads that exited hand theirs on).
    internal int ThreadRecorders => _recording.Sink.Recorders;

    /// <summary>Stops recording (<see cref="Stop"/>) and writes the profile to <paramref name="stream"/>: pprof's format, gzipped.</summary>
    public void WriteTo(Stream stream)
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        _recording.Write(_slot, stream);
    }

    /// <summary>Stops recording (<see cref="Stop"/>) and writes the profile to the file <paramref name="path"/> (by convention <c>*.pb.gz</c>).</summary>
    public void Save(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        using var file = File.Create(path);
        WriteTo(file);
    }

    /// <summary>Stops recording, as <see cref="Stop"/>; what was recorded can still be written.</summary>
    public void Dispose() => Stop();
}
