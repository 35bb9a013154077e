using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Tracing.Internal;

/// <summary>Per-thread dispatch bookkeeping for <see cref="Trace.Synchronize"/>. Not an API.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DispatchState
{
    internal int Depth;                // dispatches running on the owning thread (nested when a probe fires an event)
    internal int Finished;             // outermost dispatches finished on the state's owners, never reset
    internal Thread Owner;             // the one thread that writes Depth and Finished; replaced only once it has exited
    internal DispatchState? NextState; // registry link, immutable once published
    internal DispatchState(Thread owner) => Owner = owner;
}

/// <summary>
/// How <see cref="Trace.Synchronize"/> knows which dispatches are running, at no cost to events
/// with no probe attached (their call sites never reach a dispatch).
/// </summary>
/// <remarks>
/// <para>
/// Each thread that dispatches owns a <see cref="DispatchState"/>, kept in a lock-free,
/// append-only list. A dispatch raises its thread's <c>Depth</c> before it reads the probe list
/// head and lowers it after the last probe returns; only the owning thread writes it.
/// </para>
/// <para>
/// The list is bounded by the threads alive at once, not by every thread that ever dispatched:
/// a thread's first dispatch takes over the state of a thread that has exited, if there is one,
/// and only otherwise appends a new state. A state is never unlinked, so Synchronize walks a list
/// that only grows, and the Dekker argument below is about one state, whoever owns it: at any
/// time exactly one thread writes its fields, and Finished only grows across owners.
/// </para>
/// <para>
/// Synchronize runs after probes were unlinked. It must see the raised Depth of every dispatch
/// that could still have read an old head: the dispatch stores Depth then loads the head, and
/// Synchronize stores the head (earlier, under the lock) then loads Depth. That store-then-load
/// on both sides needs a full fence on both sides (Dekker). On .NET 5+ the dispatch side uses
/// only ordered volatile accesses and Synchronize issues
/// <c>Interlocked.MemoryBarrierProcessWide</c>, which makes every processor's pending stores
/// visible, so the fence cost stays off the hot path. netstandard2.0 has no process-wide
/// barrier, so there each dispatch issues a full fence itself.
/// </para>
/// <para>
/// A dispatch whose probe throws ends in a catch-all handler that lowers Depth and rethrows
/// (the stack trace is kept), not in a finally. Exception filters run in the first pass of
/// exception handling, before any finally: with a finally, a filter of the firing code
/// (<c>catch (E) when (Cleanup())</c>) would still count as inside the dispatch, so its
/// Synchronize would be refused as "from a probe", and Synchronize on other threads would wait
/// for it. The catch runs in the second pass, after the probes' own finally blocks, so a
/// dispatch is over for Synchronize only once no code of its probes is left to run.
/// </para>
/// </remarks>
static class Dispatch
{
    [ThreadStatic] static DispatchState? t_state;
    static DispatchState? s_states; // registry head

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static DispatchState Enter()
    {
        var state = t_state ?? Register();
        Volatile.Write(ref state.Depth, state.Depth + 1);
#if !NET5_0_OR_GREATER
        Interlocked.MemoryBarrier(); // store Depth, then load the head: see the remarks
#endif
        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Exit(DispatchState state)
    {
        var depth = state.Depth - 1;
        if (depth == 0) Volatile.Write(ref state.Finished, state.Finished + 1);
        Volatile.Write(ref state.Depth, depth); // release: the probes' effects happen before Synchronize sees 0
    }

    // A thread's first dispatch: take over the state of an exited thread, or append a new one.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static DispatchState Register()
    {
        var self = Thread.CurrentThread;
        var state = Reuse(self);
        if (state is null)
        {
            state = new DispatchState(self);
            var head = Volatile.Read(ref s_states);
            while (true)
            {
                state.NextState = head;
                // Publish (release): a Synchronize that reaches state sees its fields initialised.
                var seen = Interlocked.CompareExchange(ref s_states, state, head);
                if (seen == head) break;
                head = seen;
            }
        }
        t_state = state;
        return state;
    }

    // The state of a thread that has exited, now owned by self; or null.
    static DispatchState? Reuse(Thread self)
    {
        for (var state = Volatile.Read(ref s_states); state is not null; state = state.NextState)
        {
            var owner = Volatile.Read(ref state.Owner);
            // An exited thread has finished every dispatch it started (an exception unwinds
            // through the dispatch's handler first), so its Depth is 0 and it writes nothing
            // more; the runtime orders its last writes before IsAlive turns false, as for Join.
            // (A Depth left raised would keep Synchronize waiting, as it did for that owner: such
            // a state is not reused.)
            if (owner.IsAlive || Volatile.Read(ref state.Depth) != 0) continue;
            // Several new threads may race for one state: the CAS (a full fence) gives it to one
            // of them, and from here on only self writes Depth and Finished. Finished keeps
            // counting from the exited owner's value, so it never goes back, and a Synchronize
            // that read it before the takeover still tells a finished dispatch from a new one.
            if (Interlocked.CompareExchange(ref state.Owner, self, owner) != owner) continue;
            return state;
        }
        return null;
    }

    /// <summary>How many states the registry holds: a test hook (the bound is the number of threads alive at once).</summary>
    internal static int RegisteredStates
    {
        get
        {
            var count = 0;
            for (var state = Volatile.Read(ref s_states); state is not null; state = state.NextState) count++;
            return count;
        }
    }

    internal static void Synchronize()
    {
        var self = t_state;
        if (self is not null && self.Depth > 0)
        {
            throw new InvalidOperationException(
                "Trace.Synchronize must not be called from a probe: it would wait for its own dispatch to finish.");
        }
#if NET5_0_OR_GREATER
        Interlocked.MemoryBarrierProcessWide();
#else
        Interlocked.MemoryBarrier();
#endif
        for (var state = Volatile.Read(ref s_states); state is not null; state = state.NextState)
        {
            if (state == self) continue;
            // Read Finished before Depth: a dispatch that starts in between is waited for too,
            // which is harmless; one that was running is never missed.
            var finished = Volatile.Read(ref state.Finished);
            if (Volatile.Read(ref state.Depth) == 0) continue;
            var spin = new SpinWait();
            while (Volatile.Read(ref state.Depth) != 0 && Volatile.Read(ref state.Finished) == finished)
                spin.SpinOnce();
        }
    }
}
