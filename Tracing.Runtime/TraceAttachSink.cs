using System;
using System.Linq;
using Tracing.Internal;

namespace Tracing;

public static partial class Trace
{
    /// <summary>
    /// Attaches <paramref name="sink"/> to every event that <paramref name="filter"/> matches, in
    /// every woven assembly that is running now or starts running later, until
    /// <paramref name="pg"/> is done. Must be called under <see cref="Lock"/>.
    /// </summary>
    /// <param name="pg">The group: its <see cref="ProbeGroup.Done"/> detaches every probe of the sink and stops attaching new ones.</param>
    /// <param name="filter">Which events, by full name (<see cref="TraceEventFilter.All"/> for every one).</param>
    /// <param name="sink">What receives the firings.</param>
    /// <remarks>
    /// <para>
    /// This is how a consumer of events (a recorder, a bridge to another tracing system) attaches
    /// to events it knows only at run time. Each matching event gets one probe of the sink, in
    /// <paramref name="pg"/>, attached after the event's existing probes.
    /// </para>
    /// <para>
    /// An assembly is attached when it starts running (its module initializer, which
    /// Tracing.Fody adds, runs before any of its code), so no firing of it is missed; when another
    /// thread holds the trace lock at that moment, it is attached by the time that thread's
    /// <see cref="Unlock"/> returns. What goes wrong while attaching to such an assembly (an event
    /// whose parameters are ref structs, which cannot be handed to a sink, among them) goes to
    /// <see cref="TraceEventSink.OnAttachFailed"/>; for the assemblies running now, it is thrown here.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">Not under the trace lock.</exception>
    public static void AttachSink(ProbeGroup pg, TraceEventFilter filter, TraceEventSink sink)
    {
        if (pg is null) throw new ArgumentNullException(nameof(pg));
        if (filter is null) throw new ArgumentNullException(nameof(filter));
        if (sink is null) throw new ArgumentNullException(nameof(sink));
        VerifyLocked("Trace.AttachSink");
        var watch = new EventRegistry.Watch(pg, filter, sink);
        pg.AddWatch(watch);
        EventRegistry.AddWatch(watch);
    }

    /// <summary>
    /// Attaches <paramref name="sink"/> to one event and adds the probe to <paramref name="pg"/> if
    /// that is not null. Must be called under <see cref="Lock"/>.
    /// </summary>
    /// <param name="pg">The group to add the probe to, or null.</param>
    /// <param name="traceEvent">The event, from <see cref="Events(System.Reflection.Assembly)"/> or <see cref="EventOf{TEvent}"/>.</param>
    /// <param name="sink">What receives the firings.</param>
    /// <returns>The attached probe; <see cref="Probe.Detach"/> detaches it.</returns>
    /// <exception cref="InvalidOperationException">Not under the trace lock, or the event's assembly was woven by an older Tracing.Fody.</exception>
    /// <exception cref="NotSupportedException">The event has a ref struct parameter, which cannot be handed to a sink.</exception>
    public static Probe AttachSink(ProbeGroup? pg, TraceEventInfo traceEvent, TraceEventSink sink)
    {
        if (traceEvent is null) throw new ArgumentNullException(nameof(traceEvent));
        if (sink is null) throw new ArgumentNullException(nameof(sink));
        VerifyLocked("Trace.AttachSink");
        var tap = EventRegistry.TapOf(traceEvent.Assembly)
            ?? throw new InvalidOperationException(
                $"Trace.AttachSink: {traceEvent.AssemblyName} was woven by a Tracing.Fody that did not register its events " +
                "for sinks. Rebuild it with this version of Tracing.Fody.");
        return tap(traceEvent.Index, pg, sink, traceEvent)
            ?? throw new NotSupportedException("Trace.AttachSink: " + NotConsumableMessage(traceEvent));
    }

    /// <summary>
    /// The <see cref="TraceEventInfo"/> of a trace event given as a method group:
    /// <c>Trace.EventOf(Net.TraceSent)</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="traceEvent"/> is not a trace event of a woven assembly.</exception>
    public static TraceEventInfo EventOf<TEvent>(TEvent traceEvent) where TEvent : Delegate
    {
        if (traceEvent is null) throw new ArgumentNullException(nameof(traceEvent));
        var method = traceEvent.Method;
        var type = method.DeclaringType;
        if (traceEvent.Target is null && method.IsStatic && type is not null)
        {
            var found = Events(type.Assembly).FirstOrDefault(e => e.DeclaringType == type && e.Name == method.Name);
            if (found is not null) return found;
        }
        throw new ArgumentException(
            $"Trace.EventOf: {(type is null ? method.Name : $"{type.FullName}.{method.Name}")} is not a trace event of an assembly " +
            "woven by Tracing.Fody. Pass an event's method group, such as Hello.TraceHello.",
            nameof(traceEvent));
    }

    internal static string NotConsumableMessage(TraceEventInfo traceEvent) =>
        $"{traceEvent.Signature} has a ref struct parameter, which cannot be handed to a sink " +
        "(it cannot be stored or passed through a generic adapter). Attach a typed probe to it instead.";
}
