namespace Tracing;

/// <summary>One probe attached (or once attached) to a trace event.</summary>
/// <remarks>
/// Probes are created by <see cref="Trace.Attach{TProbe}(ProbeGroup, TProbe, TProbe)"/> and the generated
/// <c>&lt;Event&gt;_Attach</c> methods. A probe belongs to one event for its whole life: it can be
/// detached and attached again (<see cref="Trace.AttachProbe"/>), always to that event.
/// </remarks>
public abstract class Probe
{
    private protected Probe()
    {
    }

    /// <summary>
    /// The next probe attached to the same event, or null. Safe to call under any conditions;
    /// without the trace lock the answer may already be out of date.
    /// </summary>
    public Probe? Next() => NextCore();

    /// <summary>
    /// Detaches the probe from its event. Detaching a detached probe does nothing. Must be called
    /// under <see cref="Trace.Lock"/>.
    /// </summary>
    /// <remarks>
    /// A dispatch that is already running may still call the probe once; after
    /// <see cref="Trace.Synchronize"/> returns, none does.
    /// </remarks>
    /// <exception cref="System.InvalidOperationException">Not under the trace lock.</exception>
    public void Detach()
    {
        Trace.VerifyLocked("Probe.Detach");
        if (IsAttached) DetachCore();
    }

    /// <summary>Whether the probe is attached. Read it under the trace lock for an answer that holds.</summary>
    public abstract bool IsAttached { get; }

    /// <summary>The trace event this probe belongs to, as <c>Namespace.Type.Event</c>.</summary>
    public abstract string EventName { get; }

    /// <inheritdoc />
    public override string ToString() => $"probe on {EventName}";

    // Called under the trace lock, on a detached probe.
    internal abstract void AttachCore();

    // Called under the trace lock, on an attached probe.
    internal abstract void DetachCore();

    internal abstract Probe? NextCore();
}
