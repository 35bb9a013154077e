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
    internal int Finished;             // outermost dispatches finished on the owning thread
    internal DispatchState? NextState; // registry link, immutable once published
    internal DispatchState() { }
}

/// <summary>
/// How <see cref="Trace.Synchronize"/> knows which dispatches are running, at no cost to events
/// with no probe attached (their call sites never reach a dispatch).
/// </summary>
/// <remarks>
/// <para>
/// Each thread that dispatches owns a <see cref="DispatchState"/>, registered once in a lock-free,
/// append-only list. A dispatch raises its thread's <c>Depth</c> before it reads the probe list
/// head and lowers it after the last probe returns; only the owning thread writes it.
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    static DispatchState Register()
    {
        var state = new DispatchState();
        var head = Volatile.Read(ref s_states);
        while (true)
        {
            state.NextState = head;
            var seen = Interlocked.CompareExchange(ref s_states, state, head);
            if (seen == head) break;
            head = seen;
        }
        t_state = state;
        return state;
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
