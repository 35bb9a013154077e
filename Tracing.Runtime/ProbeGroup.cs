using System;
using System.Collections.Generic;
using Tracing.Internal;

namespace Tracing;

/// <summary>
/// A group of probes that are detached together: attach probes with the group, then
/// <see cref="Done"/> (or <see cref="Dispose"/>) detaches them all.
/// </summary>
/// <example>
/// <code>
/// using var pg = new ProbeGroup();
/// Trace.Setup(() => Trace.Attach(pg, Hello.TraceHello, who => Console.WriteLine(who)));
/// </code>
/// </example>
public sealed class ProbeGroup : IDisposable
{
    // The members, each once (reference equality: Probe does not override Equals), so that
    // detaching and attaching one probe again and again keeps the group's size. Guarded by the
    // trace lock.
    readonly HashSet<Probe> _probes = new();
    List<EventRegistry.Watch>? _watches; // sinks attached to events of assemblies yet to run; guarded by the trace lock

    /// <summary>
    /// Adds a probe to the group; adding a member again does nothing. Must be called under
    /// <see cref="Trace.Lock"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not under the trace lock.</exception>
    public void Add(Probe probe)
    {
        if (probe is null) throw new ArgumentNullException(nameof(probe));
        Trace.VerifyLocked("ProbeGroup.Add");
        _probes.Add(probe);
    }

    /// <summary>How many probes the group holds: a test hook. Under the trace lock.</summary>
    internal int Count => _probes.Count;

    /// <summary>
    /// Detaches every probe of the group and empties it; the group can be used again. Takes the
    /// trace lock itself, so it must be called outside it.
    /// </summary>
    /// <remarks>Follow it with <see cref="Trace.Synchronize"/> to wait for dispatches that may still be running a detached probe.</remarks>
    /// <exception cref="InvalidOperationException">Called under the trace lock.</exception>
    public void Done()
    {
        if (Trace.HoldsLock)
        {
            throw new InvalidOperationException(
                "ProbeGroup.Done takes the trace lock itself and must be called outside it: call Trace.Unlock() first.");
        }
        Trace.Lock();
        try
        {
            if (_watches is not null)
            {
                // First: no assembly that starts running from now on gets a probe of this group.
                foreach (var watch in _watches) EventRegistry.RemoveWatch(watch);
                _watches = null;
            }
            foreach (var probe in _probes) probe.Detach();
            _probes.Clear();
        }
        finally
        {
            Trace.Unlock();
        }
    }

    // Under the trace lock (Trace.AttachSink).
    internal void AddWatch(EventRegistry.Watch watch) => (_watches ??= new()).Add(watch);

    /// <summary>Same as <see cref="Done"/>.</summary>
    public void Dispose() => Done();
}
