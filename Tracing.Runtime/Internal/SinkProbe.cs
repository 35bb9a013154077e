using System.ComponentModel;

namespace Tracing.Internal;

/// <summary>
/// What every <c>EventTap</c> adapter holds: the sink and the event it feeds. Not an API.
/// </summary>
/// <remarks>
/// <c>EventTap&lt;T1, …&gt;.Fire</c> is the probe of a sink on one event (EventTaps.g.cs): closed
/// over the event's parameter types, it writes each argument through the shared value rules
/// (<see cref="TraceValues"/>) without boxing. Tracing.Fody creates the instances in the woven
/// assembly (its <c>&lt;TracingExports&gt;.Tap</c> method), so the instantiations are visible to
/// Native AOT and nothing is made with <c>MakeGenericType</c>.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class SinkProbe
{
    private protected SinkProbe(TraceEventSink sink, TraceEventInfo traceEvent)
    {
        Sink = sink;
        Event = traceEvent;
    }

    private protected readonly TraceEventSink Sink;
    private protected readonly TraceEventInfo Event;
}

/// <summary>
/// Attaches a sink to the event at <paramref name="index"/> of one woven assembly (its events in
/// order of full name, as <see cref="Trace.Events(System.Reflection.Assembly)"/> lists them).
/// Tracing.Fody generates one per assembly, <c>&lt;TracingExports&gt;.Tap</c>, and registers it
/// when the assembly starts running. Not an API.
/// </summary>
/// <returns>The probe, or null when the event's parameters cannot be handed to a sink (a ref struct).</returns>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate Probe? EventTapFactory(int index, ProbeGroup? pg, TraceEventSink sink, TraceEventInfo traceEvent);
