using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Tracing.Internal;

/// <summary>What woven code calls. Not an API: its shape follows the weaver.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EventSupport
{
    /// <summary>
    /// The body of every generated <c>&lt;Event&gt;_Attach(pg, probe)</c>: creates the event's probe
    /// list on first use, appends a new probe to it and adds the probe to <paramref name="pg"/>.
    /// </summary>
    /// <param name="pg">The group, or null.</param>
    /// <param name="list">The event's list field.</param>
    /// <param name="eventName">The event, as <c>Namespace.Type.Event</c>.</param>
    /// <param name="publish">
    /// Release-writes the event's head field; needed only to create the list, so woven code
    /// passes null once the list exists (and allocates no delegate).
    /// </param>
    /// <param name="probe">The probe's code.</param>
    public static Probe Attach<TProbe>(ProbeGroup? pg, ref ProbeList<TProbe>? list, string eventName,
        Action<ProbeNode<TProbe>?>? publish, TProbe probe) where TProbe : Delegate
    {
        if (probe is null) throw new ArgumentNullException(nameof(probe));
        if (!Trace.HoldsLock) Trace.VerifyLocked("Attaching a probe to " + eventName); // the message is built only to throw
        // Only the lock holder reads or writes the list field, so a plain read and write suffice.
        list ??= new ProbeList<TProbe>(eventName, publish ?? throw new ArgumentNullException(nameof(publish)));
        var p = new TypedProbe<TProbe>(list, probe);
        p.AttachCore();
        pg?.Add(p);
        return p;
    }

    /// <summary>
    /// Called by the module initializer Tracing.Fody adds to a woven assembly with events, before
    /// any of its code runs: registers the assembly's tap factory, so that sinks attached to
    /// every event (<see cref="Trace.AttachSink(ProbeGroup, TraceEventFilter, TraceEventSink)"/>) reach
    /// its events too. It only adds the assembly to a list unless such a sink is attached.
    /// </summary>
    /// <param name="exports">The assembly's <c>&lt;TracingExports&gt;</c> type.</param>
    /// <param name="tap">Its <c>Tap</c> method.</param>
    public static void Register(Type exports, EventTapFactory tap)
    {
        EventRegistry.Register(exports, tap);
        EventPipeHook.AssemblyStarted(); // the Tracing EventSource, for diagnostics sessions (docs/eventpipe.md)
    }

    /// <summary>Called by a woven event method before it reads its probe list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DispatchState Enter() => Dispatch.Enter();

    /// <summary>
    /// Called by a woven event method when its probes have run, or, when one threw, by its
    /// catch-all handler before it rethrows (see <see cref="Dispatch"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Exit(DispatchState state) => Dispatch.Exit(state);
}
