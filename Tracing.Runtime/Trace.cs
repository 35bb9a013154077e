using System;
using System.Diagnostics;
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
    //
    // It is not a Monitor held from Lock to Unlock: a Monitor whose owner thread exits stays held
    // forever, and every later Lock would hang without a word. The lock is s_owner; s_gate guards
    // it for a few instructions at a time (never across the caller's code) and lets waiters sleep.
    // So a waiter can always see who holds the lock, since when, and (once recording is on) where
    // it was taken.
    //
    // Happens-before: the holder's changes to probe lists precede its Unlock, which releases
    // s_gate after clearing s_owner; the next Lock acquires s_gate before it sees s_owner clear,
    // so the next holder sees those changes (the same chain a Monitor held throughout gave).
    static readonly object s_gate = new();
    static Thread? s_owner;        // the holder, or null; written under s_gate, read lock-free by HoldsLock
    static int s_lockedSince;      // Environment.TickCount at the holder's Lock (cheaper than a Stopwatch); under s_gate
    static StackTrace? s_lockedAt; // where the holder called Lock, if recorded; under s_gate
    static int s_waiters;          // threads waiting in Lock; under s_gate

    /// <summary>
    /// Whether Lock records where it is taken. A stack trace costs microseconds, a hundred times
    /// Lock itself, so recording starts at the first misuse of the lock the process shows (every
    /// report of one turns it on): a later report then says where the lock was taken. A test hook too.
    /// </summary>
    internal static bool RecordWhereLocked;

    /// <summary>How long Lock waits for a live holder before it says who holds the lock. A test hook.</summary>
    internal static TimeSpan LockWaitLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Takes the trace lock, which serializes attaching and detaching probes.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Under the lock no other thread attaches or detaches probes, and events keep firing: a
    /// dispatch running concurrently sees either the old or the new probe list, never a broken
    /// one. The lock is not re-entrant. Release it with <see cref="Unlock"/> on the same thread.
    /// </para>
    /// <para>
    /// No wait for the lock is unbounded or silent. If the thread that holds the lock has exited
    /// without unlocking it, the next Lock frees it and throws, naming that thread and how long
    /// ago it locked. If a live thread holds it for 30 seconds, Lock stops waiting and throws the
    /// same report. Once the process has shown one misuse of the lock, Lock also records where it
    /// is taken (a stack trace), and the reports say where.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">
    /// This thread already holds the lock; or its holder exited without unlocking it; or a live
    /// thread has held it for 30 seconds.
    /// </exception>
    public static void Lock()
    {
        var self = Thread.CurrentThread;
        var lockedAt = Volatile.Read(ref RecordWhereLocked) ? new StackTrace(1, fNeedFileInfo: false) : null;
        lock (s_gate)
        {
            if (s_owner == self)
                throw Misuse("Trace.Lock: this thread already holds the trace lock, which is not re-entrant. Call Trace.Unlock() before locking again.", self);
            var waitedSince = Environment.TickCount;
            while (s_owner is { } owner)
            {
                if (!owner.IsAlive)
                {
                    var error = Misuse(
                        $"Trace.Lock: the trace lock was held by {Describe(owner)}, which exited without calling Trace.Unlock(). " +
                        "The lock is free again. Call Unlock on the thread that locked: do not await between Lock and Unlock, " +
                        "and unlock in a finally block (or use Trace.Setup).", owner);
                    Release(); // the dead holder can never unlock: free the lock, then report it
                    throw error;
                }
                var left = LockWaitLimit.TotalMilliseconds - MillisecondsSince(waitedSince);
                if (left <= 0)
                {
                    throw Misuse(
                        $"Trace.Lock: waited {LockWaitLimit.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s for the trace lock, which {Describe(owner)} holds. " +
                        "A thread that locks and goes on without Trace.Unlock() (an await between Lock and Unlock, an exception " +
                        "without a finally) holds the lock until it unlocks.", owner);
                }
                // Unlock pulses; the timeout also notices a holder that exits, which pulses nobody.
                s_waiters++;
                Monitor.Wait(s_gate, (int)Math.Ceiling(Math.Min(left, 100)));
                s_waiters--;
            }
            Volatile.Write(ref s_owner, self); // under s_gate: only one thread can see it free and take it
            s_lockedSince = Environment.TickCount;
            s_lockedAt = lockedAt;
        }
    }

    /// <summary>Releases the trace lock taken by <see cref="Lock"/> on this thread.</summary>
    /// <remarks>Every dispatch that starts after Unlock returns sees the probe lists as they were left under the lock.</remarks>
    /// <exception cref="InvalidOperationException">This thread does not hold the lock.</exception>
    public static void Unlock()
    {
        var released = false;
        lock (s_gate)
        {
            if (s_owner != Thread.CurrentThread)
            {
                const string Message = "Trace.Unlock: this thread does not hold the trace lock. Call Trace.Lock() first, " +
                    "and call Unlock on the thread that locked (do not await between Lock and Unlock).";
                throw s_owner is { } owner
                    ? Misuse(Message + $" The lock stays held by {Describe(owner)} until that thread unlocks it.", owner)
                    : new InvalidOperationException(Message);
            }
            if (!EventRegistry.HasPending)
            {
                Release();
                released = true;
            }
        }
        if (!released)
        {
            // Assemblies that started running while the lock was held: attach the sinks that want
            // them while this thread still holds it (outside s_gate: attaching runs their code).
            EventRegistry.AttachPending();
            lock (s_gate) Release();
        }
        EventRegistry.AfterUnlock();
    }

    /// <summary>Takes the trace lock if it is free, without waiting; for a module initializer, which must not wait for it.</summary>
    internal static bool TryLock()
    {
        lock (s_gate)
        {
            if (s_owner is not null) return false;
            Volatile.Write(ref s_owner, Thread.CurrentThread);
            s_lockedSince = Environment.TickCount;
            s_lockedAt = null;
            return true;
        }
    }

    /// <summary>Releases the trace lock this thread took with <see cref="TryLock"/>.</summary>
    internal static void ReleaseLock()
    {
        lock (s_gate) Release();
    }

    // Under s_gate.
    static void Release()
    {
        Volatile.Write(ref s_owner, null);
        s_lockedAt = null;
        if (s_waiters > 0) Monitor.PulseAll(s_gate); // only then: Pulse makes the monitor heavier for every later Lock
    }

    // Under s_gate: the report of a misuse of the lock held by holder, with where it was taken if
    // that was recorded; from now on Lock records it.
    static InvalidOperationException Misuse(string message, Thread holder)
    {
        var where = s_lockedAt is { } at
            ? Environment.NewLine + (holder == Thread.CurrentThread ? "This thread" : "It") + " took the lock at:" + Environment.NewLine + at
            : " (Where the lock was taken is not known: Trace.Lock records it from the first misuse of the lock on, " +
              "this one, so a later report will say.)";
        Volatile.Write(ref RecordWhereLocked, true);
        return new InvalidOperationException(message + where);
    }

    // Under s_gate, of the holder: thread 12 "worker" (a thread-pool thread, locked 2.5 s ago).
    static string Describe(Thread thread)
    {
        var name = thread.Name is { Length: > 0 } n ? $" \"{n}\"" : "";
        var pool = thread.IsAlive && thread.IsThreadPoolThread ? "a thread-pool thread, " : "";
        var age = (MillisecondsSince(s_lockedSince) / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        return $"thread {thread.ManagedThreadId}{name} ({pool}locked {age} s ago)";
    }

    // Wraps correctly for spans under 24 days (TickCount wraps every 49.7).
    static int MillisecondsSince(int tickCount) => unchecked(Environment.TickCount - tickCount);

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
