using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Tracing.Internal;

/// <summary>
/// The woven assemblies that have started running, and the sinks that want the events of every
/// assembly, loaded now or later (<see cref="Trace.AttachSink(ProbeGroup, TraceEventFilter, TraceEventSink)"/>).
/// </summary>
/// <remarks>
/// <para>
/// Tracing.Fody gives each woven assembly with events a module initializer that calls
/// <see cref="Register"/> with the assembly's tap factory before any of its code runs (so before
/// any of its events can fire). That is how a sink learns about assemblies loaded after it was
/// attached, and how it attaches to them without reflection, also under Native AOT.
/// </para>
/// <para>
/// Locks. <c>s_gate</c> guards the two lists and is held only briefly, never while waiting for
/// anything; the trace lock may be held when it is taken, never the other way round. Attaching
/// needs the trace lock, but <see cref="Register"/> runs inside a module initializer, where
/// waiting for the trace lock could deadlock (its holder may be waiting for that very
/// initializer to finish). So Register only tries the lock; when another thread holds it, the
/// assembly is queued and that thread attaches it in <see cref="Trace.Unlock"/> before it releases
/// the lock (<see cref="AttachPending"/>), and checks the queue again after releasing
/// (<see cref="AfterUnlock"/>).
/// </para>
/// </remarks>
static class EventRegistry
{
    static readonly object s_gate = new();
    static readonly List<Registration> s_assemblies = new(); // guarded by s_gate
    static readonly List<Watch> s_watches = new();           // guarded by s_gate; changed under the trace lock too
    static readonly ConcurrentQueue<Registration> s_pending = new();

    /// <summary>One registered assembly and its tap factory.</summary>
    internal sealed class Registration
    {
        public Registration(Assembly assembly, EventTapFactory tap)
        {
            Assembly = assembly;
            Tap = tap;
        }

        public readonly Assembly Assembly;
        public readonly EventTapFactory Tap;

        // Read when first needed, not in the module initializer: registering costs no reflection.
        public IReadOnlyList<TraceEventInfo> Events => Trace.Events(Assembly);
    }

    /// <summary>A sink attached to the matching events of every assembly, until its group is done.</summary>
    internal sealed class Watch
    {
        public Watch(ProbeGroup group, TraceEventFilter filter, TraceEventSink sink)
        {
            Group = group;
            Filter = filter;
            Sink = sink;
        }

        public readonly ProbeGroup Group;
        public readonly TraceEventFilter Filter;
        public readonly TraceEventSink Sink;
        public readonly HashSet<Registration> Attached = new(); // under the trace lock: attach each assembly once
    }

    /// <summary>Called by the module initializer of a woven assembly. Never throws into it.</summary>
    public static void Register(Type exports, EventTapFactory tap)
    {
        var registration = new Registration(exports.Assembly, tap);
        bool watched;
        lock (s_gate)
        {
            s_assemblies.Add(registration);
            watched = s_watches.Count > 0; // a watch added after this line finds the assembly in s_assemblies
        }
        if (!watched) return;
        if (Trace.HoldsLock)
        {
            AttachWatches(registration); // this thread's own Lock ... Unlock brackets the initializer
            return;
        }
        s_pending.Enqueue(registration);
        DrainIfUnlocked();
    }

    /// <summary>Under the trace lock: attaches the sink to the matching events of every registered assembly, now and later.</summary>
    public static void AddWatch(Watch watch)
    {
        Registration[] registered;
        lock (s_gate)
        {
            s_watches.Add(watch);
            registered = s_assemblies.ToArray(); // an assembly registered after this sees the watch
        }
        foreach (var registration in registered) Attach(watch, registration, fromInitializer: false);
    }

    /// <summary>Under the trace lock: no assembly registered from now on is attached for <paramref name="watch"/>.</summary>
    public static void RemoveWatch(Watch watch)
    {
        lock (s_gate) s_watches.Remove(watch);
    }

    /// <summary>The tap factory of a woven assembly, running its module initializer if it has not run yet.</summary>
    public static EventTapFactory? TapOf(Assembly assembly)
    {
        var tap = Find(assembly);
        if (tap is not null) return tap;
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle); // registers it
        return Find(assembly);

        static EventTapFactory? Find(Assembly assembly)
        {
            lock (s_gate)
            {
                foreach (var registration in s_assemblies)
                {
                    if (registration.Assembly == assembly) return registration.Tap;
                }
            }
            return null;
        }
    }

    /// <summary>Whether assemblies wait to be attached by the lock's holder.</summary>
    public static bool HasPending => !s_pending.IsEmpty;

    /// <summary>Called by <see cref="Trace.Unlock"/> while it still holds the lock.</summary>
    public static void AttachPending()
    {
        while (s_pending.TryDequeue(out var registration)) AttachWatches(registration);
    }

    /// <summary>Called by <see cref="Trace.Unlock"/> after it released the lock.</summary>
    public static void AfterUnlock()
    {
        // Dekker with DrainIfUnlocked: a registering thread stores to the queue (an interlocked
        // write, a full fence) and then loads the lock; this thread stored the lock (released it)
        // and now loads the queue. The fence makes one of the two see the other's store: either
        // the registering thread gets the lock, or this thread sees its entry.
        Interlocked.MemoryBarrier();
        if (!s_pending.IsEmpty) DrainIfUnlocked();
    }

    // Attaches queued assemblies if the trace lock is free. When it is not, its holder will: this
    // thread queued before it tried the lock, and the holder looks at the queue after releasing.
    static void DrainIfUnlocked()
    {
        while (!s_pending.IsEmpty && Trace.TryLock())
        {
            try
            {
                AttachPending();
            }
            finally
            {
                Trace.ReleaseLock();
            }
        }
    }

    static void AttachWatches(Registration registration)
    {
        Watch[] watches;
        lock (s_gate) watches = s_watches.ToArray();
        foreach (var watch in watches) Attach(watch, registration, fromInitializer: true);
    }

    // Under the trace lock.
    static void Attach(Watch watch, Registration registration, bool fromInitializer)
    {
        if (!watch.Attached.Add(registration)) return;
        foreach (var traceEvent in registration.Events)
        {
            if (!watch.Filter.Matches(traceEvent)) continue;
            try
            {
                if (registration.Tap(traceEvent.Index, watch.Group, watch.Sink, traceEvent) is null)
                    Report(watch.Sink, traceEvent, new NotSupportedException(Trace.NotConsumableMessage(traceEvent)));
            }
            catch (Exception e) when (fromInitializer)
            {
                Report(watch.Sink, traceEvent, e);
            }
        }
    }

    static void Report(TraceEventSink sink, TraceEventInfo traceEvent, Exception error)
    {
        try
        {
            sink.OnAttachFailed(traceEvent, error);
        }
        catch (Exception)
        {
            // A sink that throws here has nowhere else to report: the alternative is failing the
            // initializer of an assembly that has nothing to do with it.
        }
    }
}
