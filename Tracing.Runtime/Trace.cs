using System;
using System.Threading;
using Tracing.Internal;

namespace Tracing;

/// <summary>
/// Static tracepoints: declare trace events as <c>[Trace.Event]</c> stub methods, call them where
/// things happen, and attach probes to them at run time.
/// </summary>
/// <remarks>
/// <para>
/// Cost model: while no probe is attached to an event, each call of it costs one static load and
/// one branch (the Tracing.Fody weaver rewrites every call site into a null check of the event's
/// probe list), and by default its arguments are not evaluated. With probes attached, a call is a
/// direct, typed call of each probe's delegate in attach order, with no boxing and no allocation.
/// </para>
/// <para>
/// Attaching and detaching probes must be done under <see cref="Lock"/>. Dispatch never takes the
/// lock: it reads probe lists that are changed only under the lock and published with release
/// writes (see <see cref="Internal.ProbeList{TProbe}"/> for the invariants).
/// </para>
/// </remarks>
public static partial class Trace
{
    // The trace lock. It serializes every change of every probe list and probe group. It is
    // deliberately not re-entrant: s_owner lets a second Lock on the same thread throw instead of
    // deadlocking, and lets every operation that must run under the lock check that it does.
    static readonly object s_gate = new();
    static Thread? s_owner; // written only by the thread that holds s_gate

    /// <summary>
    /// Takes the trace lock, which serializes attaching and detaching probes.
    /// </summary>
    /// <remarks>
    /// Under the lock no other thread attaches or detaches probes, and events keep firing: a
    /// dispatch running concurrently sees either the old or the new probe list, never a broken
    /// one. The lock is not re-entrant. Release it with <see cref="Unlock"/> on the same thread.
    /// </remarks>
    /// <exception cref="InvalidOperationException">This thread already holds the lock.</exception>
    public static void Lock()
    {
        if (HoldsLock)
        {
            throw new InvalidOperationException(
                "Trace.Lock: this thread already holds the trace lock, which is not re-entrant. " +
                "Call Trace.Unlock() before locking again.");
        }
        Monitor.Enter(s_gate);
        Volatile.Write(ref s_owner, Thread.CurrentThread);
    }

    /// <summary>Releases the trace lock taken by <see cref="Lock"/> on this thread.</summary>
    /// <remarks>Every dispatch that starts after Unlock returns sees the probe lists as they were left under the lock.</remarks>
    /// <exception cref="InvalidOperationException">This thread does not hold the lock.</exception>
    public static void Unlock()
    {
        if (!HoldsLock)
        {
            throw new InvalidOperationException(
                "Trace.Unlock: this thread does not hold the trace lock. Call Trace.Lock() first, " +
                "and call Unlock on the thread that locked (do not await between Lock and Unlock).");
        }
        EventRegistry.AttachPending(); // assemblies that started running while the lock was held
        Release();
        EventRegistry.AfterUnlock();
    }

    /// <summary>Takes the trace lock if it is free; for code that must not wait for it (a module initializer).</summary>
    internal static bool TryLock()
    {
        if (!Monitor.TryEnter(s_gate)) return false;
        Volatile.Write(ref s_owner, Thread.CurrentThread);
        return true;
    }

    /// <summary>Releases the trace lock this thread holds.</summary>
    internal static void Release()
    {
        Volatile.Write(ref s_owner, null);
        Monitor.Exit(s_gate);
    }

    /// <summary>Runs <paramref name="setup"/> under the trace lock: <c>Lock(); setup(); Unlock();</c>.</summary>
    /// <param name="setup">Code that attaches or detaches probes.</param>
    public static void Setup(Action setup)
    {
        if (setup is null) throw new ArgumentNullException(nameof(setup));
        Lock();
        try
        {
            setup();
        }
        finally
        {
            Unlock();
        }
    }

    /// <summary>
    /// Waits until every dispatch of any event that was running on another thread when it was
    /// called has finished.
    /// </summary>
    /// <remarks>
    /// After <c>pg.Done(); Trace.Synchronize();</c> no probe of the group is running anywhere, so
    /// the state those probes use can be torn down (the kernel's
    /// <c>tracepoint_synchronize_unregister</c>). It costs nothing on the path of events with no
    /// probe attached. A probe that never returns makes it wait forever.
    /// </remarks>
    /// <exception cref="InvalidOperationException">Called under the trace lock, or from a probe.</exception>
    public static void Synchronize()
    {
        if (HoldsLock)
        {
            throw new InvalidOperationException(
                "Trace.Synchronize must not be called under Trace.Lock (a running probe may be " +
                "waiting for the lock): call Trace.Unlock() first.");
        }
        Dispatch.Synchronize();
    }

    internal static bool HoldsLock => Volatile.Read(ref s_owner) == Thread.CurrentThread;

    /// <summary>Throws unless the calling thread holds the trace lock.</summary>
    internal static void VerifyLocked(string operation)
    {
        if (!HoldsLock)
        {
            throw new InvalidOperationException(
                $"{operation} must be called under the trace lock: call Trace.Lock() before it and " +
                "Trace.Unlock() after it, or run it inside Trace.Setup(() => ...).");
        }
    }
}
