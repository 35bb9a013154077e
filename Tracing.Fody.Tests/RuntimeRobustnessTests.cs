using System;
using System.Collections.Generic;
using System.Threading;
using NUnit.Framework;
using Tracing.Internal;

namespace Tracing.Fody.Tests;

/// <summary>
/// Misuse and load that must not wedge or grow the runtime: a trace lock left by a thread, a
/// dispatch whose probe threw seen from the firing code's exception filter, a group that a probe
/// joins again and again, and dispatches from many short-lived threads. Every wait is bounded.
/// </summary>
public class RuntimeRobustnessTests : FixtureTest
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    // ---- The trace lock never wedges the process silently ----------------------------------

    [Test]
    public void ALockWhoseThreadExitedIsReportedAtTheNextLockAndFreed()
    {
        var recording = Trace.RecordWhereLocked;
        try
        {
            Trace.RecordWhereLocked = false; // as in a process that has shown no misuse of the lock yet
            var locker = LeaveTheLock("leaves the lock");

            var error = OnAnotherThread(Trace.Lock);

            Assert.That(error, Is.InstanceOf<InvalidOperationException>());
            Assert.That(error!.Message, Does.StartWith($"Trace.Lock: the trace lock was held by thread {locker.ManagedThreadId} \"leaves the lock\" (locked "));
            Assert.That(error.Message, Does.Contain(
                "s ago), which exited without calling Trace.Unlock(). The lock is free again. Call Unlock on the thread that locked: " +
                "do not await between Lock and Unlock, and unlock in a finally block (or use Trace.Setup). " +
                "(Where the lock was taken is not known: Trace.Lock records it from the first misuse of the lock on, this one, so a later report will say.)"));
            Assert.That(OnAnotherThread(() => Trace.Setup(() => { })), Is.Null, "the lock is free after the report");

            // From the first misuse on, the report says where the lock was taken.
            LeaveTheLock("leaves the lock again");
            var again = OnAnotherThread(Trace.Lock);

            Assert.That(again!.Message, Does.Contain("It took the lock at:"));
            Assert.That(again.Message, Does.Contain(nameof(TakeTheLockAndExit)));
            Assert.That(OnAnotherThread(() => Trace.Setup(() => { })), Is.Null);
        }
        finally
        {
            Trace.RecordWhereLocked = recording;
        }
    }

    static Thread LeaveTheLock(string name)
    {
        var locker = new Thread(TakeTheLockAndExit) { Name = name };
        locker.Start();
        Assert.That(locker.Join(Deadline), Is.True);
        return locker;
    }

    static void TakeTheLockAndExit() => Trace.Lock();

    [Test]
    public void ALockHeldByALiveThreadIsNotWaitedForForeverAndItsHolderIsNamed()
    {
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var limit = Trace.LockWaitLimit;
        var recording = Trace.RecordWhereLocked;
        Trace.RecordWhereLocked = true;
        var holder = new Thread(() => HoldTheLock(holding, release)) { Name = "holds the lock" };
        holder.Start();
        try
        {
            Assert.That(holding.Wait(Deadline), Is.True);
            Trace.LockWaitLimit = TimeSpan.FromMilliseconds(200);

            var error = OnAnotherThread(() => new ProbeGroup().Done());

            Assert.That(error, Is.InstanceOf<InvalidOperationException>());
            Assert.That(error!.Message, Does.StartWith(
                $"Trace.Lock: waited 0.2 s for the trace lock, which thread {holder.ManagedThreadId} \"holds the lock\" (locked "));
            Assert.That(error.Message, Does.Contain(
                "s ago) holds. A thread that locks and goes on without Trace.Unlock() (an await between Lock and Unlock, an exception " +
                "without a finally) holds the lock until it unlocks." + Environment.NewLine + "It took the lock at:"));
            Assert.That(error.Message, Does.Contain("It took the lock at:"));
            Assert.That(error.Message, Does.Contain(nameof(HoldTheLock)));
        }
        finally
        {
            Trace.LockWaitLimit = limit;
            Trace.RecordWhereLocked = recording;
            release.Set();
            Assert.That(holder.Join(Deadline), Is.True);
        }
    }

    static void HoldTheLock(ManualResetEventSlim holding, ManualResetEventSlim release)
    {
        Trace.Lock();
        try
        {
            holding.Set();
            release.Wait(Deadline);
        }
        finally
        {
            Trace.Unlock();
        }
    }

    [Test]
    public void UnlockOnAnotherThreadNamesTheHolder()
    {
        var recording = Trace.RecordWhereLocked;
        Trace.RecordWhereLocked = true;
        Trace.Lock();
        try
        {
            var error = OnAnotherThread(Trace.Unlock);

            Assert.That(error!.Message, Does.StartWith("Trace.Unlock: this thread does not hold the trace lock."));
            Assert.That(error.Message, Does.Contain($"The lock stays held by thread {Environment.CurrentManagedThreadId}"));
            Assert.That(error.Message, Does.Contain(nameof(UnlockOnAnotherThreadNamesTheHolder)));
        }
        finally
        {
            Trace.Unlock();
            Trace.RecordWhereLocked = recording;
        }
    }

    [Test]
    public void LockingTwiceSaysWhereTheLockWasTaken()
    {
        var recording = Trace.RecordWhereLocked;
        Trace.RecordWhereLocked = true;
        Trace.Lock();
        try
        {
            var error = Assert.Throws<InvalidOperationException>(Trace.Lock);

            Assert.That(error!.Message, Does.Contain("This thread took the lock at:"));
            Assert.That(error.Message, Does.Contain(nameof(LockingTwiceSaysWhereTheLockWasTaken)));
        }
        finally
        {
            Trace.Unlock();
            Trace.RecordWhereLocked = recording;
        }
    }

    [Test]
    public void ALockHeldByALiveThreadIsWaitedForUntilItIsUnlocked()
    {
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() => HoldTheLock(holding, release)) { Name = "holds the lock" };
        holder.Start();
        Exception? error = null;
        var locked = false;
        var waiter = new Thread(() =>
        {
            try
            {
                Trace.Lock();
                locked = true;
                Trace.Unlock();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        try
        {
            Assert.That(holding.Wait(Deadline), Is.True);
            waiter.Start();
            // Lock sleeps while it waits (Monitor.Wait): once the waiter is seen asleep it waits for the holder.
            Assert.That(SpinWait.SpinUntil(() => (waiter.ThreadState & ThreadState.WaitSleepJoin) != 0 || !waiter.IsAlive, Deadline), Is.True);
            Assert.That(waiter.IsAlive, Is.True, "Lock did not wait for a live holder that had held the lock for less than its limit");
            release.Set();
            Assert.That(waiter.Join(Deadline), Is.True, "Lock still waits after the holder unlocked");
        }
        finally
        {
            release.Set();
            Assert.That(holder.Join(Deadline), Is.True);
        }
        Assert.That(error, Is.Null);
        Assert.That(locked, Is.True);
    }

    [Test]
    public void AWaiterLearnsThatTheHolderExitedWithoutWaitingOutTheLimit()
    {
        using var holding = new ManualResetEventSlim();
        using var exit = new ManualResetEventSlim();
        var limit = Trace.LockWaitLimit;
        var recording = Trace.RecordWhereLocked;
        Trace.LockWaitLimit = TimeSpan.FromMinutes(2); // far beyond the deadline: only noticing the exit ends the wait
        var holder = new Thread(() =>
        {
            Trace.Lock();
            holding.Set();
            exit.Wait(Deadline);
        }) { Name = "exits holding the lock" };
        holder.Start();
        try
        {
            Assert.That(holding.Wait(Deadline), Is.True);
            Exception? error = null;
            var waiter = new Thread(() =>
            {
                try
                {
                    Trace.Lock();
                    Trace.Unlock();
                }
                catch (Exception e)
                {
                    error = e;
                }
            });
            waiter.Start();
            Assert.That(SpinWait.SpinUntil(() => (waiter.ThreadState & ThreadState.WaitSleepJoin) != 0 || !waiter.IsAlive, Deadline), Is.True);
            exit.Set();
            Assert.That(holder.Join(Deadline), Is.True);

            Assert.That(waiter.Join(Deadline), Is.True, "the waiter did not notice that the holder exited");
            Assert.That(error, Is.InstanceOf<InvalidOperationException>());
            Assert.That(error!.Message, Does.StartWith($"Trace.Lock: the trace lock was held by thread {holder.ManagedThreadId} \"exits holding the lock\" (locked "));
            Assert.That(OnAnotherThread(() => Trace.Setup(() => { })), Is.Null, "the lock is free after the report");
        }
        finally
        {
            Trace.LockWaitLimit = limit;
            Trace.RecordWhereLocked = recording;
            exit.Set();
        }
    }

    [Test]
    public void AReportSaysWhenTheHolderIsAThreadPoolThreadAndHowLongAgoItLocked()
    {
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var recording = Trace.RecordWhereLocked;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var holder = System.Threading.Tasks.Task.Run(() => HoldTheLock(holding, release));
        try
        {
            Assert.That(holding.Wait(Deadline), Is.True);
            var error = OnAnotherThread(Trace.Unlock);
            var elapsed = clock.Elapsed.TotalSeconds;

            var match = System.Text.RegularExpressions.Regex.Match(error!.Message,
                @"The lock stays held by thread \d+( ""[^""]*"")? \(a thread-pool thread, locked (?<age>\d+(\.\d+)?) s ago\)");
            Assert.That(match.Success, Is.True, error.Message);
            var age = double.Parse(match.Groups["age"].Value, System.Globalization.CultureInfo.InvariantCulture);
            // The age is of a lock taken during this test: in seconds, and no more than the test has run
            // (with a second to spare for the coarser clock Lock reads).
            Assert.That(age, Is.InRange(0, elapsed + 1));
        }
        finally
        {
            release.Set();
            Assert.That(holder.Wait(Deadline), Is.True);
            Trace.RecordWhereLocked = recording;
        }
    }

    [Test]
    public void TryLockTakesTheLockOnlyWhenItIsFree()
    {
        Assert.That(Trace.TryLock(), Is.True);
        try
        {
            Assert.That(Trace.HoldsLock, Is.True);
            var other = true;
            Assert.That(OnAnotherThread(() => other = Trace.TryLock()), Is.Null);
            Assert.That(other, Is.False, "TryLock took a lock another thread holds");
        }
        finally
        {
            Trace.ReleaseLock();
        }
        Assert.That(Trace.HoldsLock, Is.False);
        var taken = false;
        Assert.That(OnAnotherThread(() =>
        {
            taken = Trace.TryLock();
            if (taken) Trace.ReleaseLock();
        }), Is.Null);
        Assert.That(taken, Is.True, "TryLock did not take a free lock");
    }

    // Runs action on a new thread (so a hang fails the test instead of stalling it) and returns what it threw.
    static Exception? OnAnotherThread(Action action)
    {
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        Assert.That(thread.Join(Deadline), Is.True, "the thread is still waiting");
        return error;
    }

    // ---- A probe that threw: the firing code's filters are outside the dispatch ------------

    [Test]
    public void SynchronizeFromTheFiringCodesExceptionFilterIsNotRefused()
    {
        var probeFinallyRan = false;
        Attach<Action<int>>("Events.TraceValue", _ =>
        {
            try
            {
                throw new ApplicationException("probe");
            }
            finally
            {
                probeFinallyRan = true;
            }
        });
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        Exception? refused = null;
        var finallyRanBeforeFilter = false;

        bool Cleanup()
        {
            finallyRanBeforeFilter = probeFinallyRan;
            Group.Done();
            try
            {
                Trace.Synchronize();
            }
            catch (InvalidOperationException e)
            {
                refused = e;
            }
            return true;
        }

        try
        {
            traceValue(1);
        }
        catch (ApplicationException) when (Cleanup())
        {
        }

        Assert.That(refused, Is.Null);
        Assert.That(finallyRanBeforeFilter, Is.True, "the dispatch ends after its probes' finally blocks, before the caller's filters");
    }

    [Test]
    public void AFilterOutsideTheDispatchIsNotWaitedForBySynchronizeOnOtherThreads()
    {
        Attach<Action<int>>("Events.TraceValue", _ => throw new ApplicationException("probe"));
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        using var inFilter = new ManualResetEventSlim();
        using var synchronized = new ManualResetEventSlim();
        var sawSynchronize = false;

        bool WaitForSynchronize()
        {
            inFilter.Set();
            sawSynchronize = synchronized.Wait(Deadline); // the other thread's Synchronize returns while this filter runs
            return true;
        }

        var firing = new Thread(() =>
        {
            try
            {
                traceValue(1);
            }
            catch (ApplicationException) when (WaitForSynchronize())
            {
            }
        });
        firing.Start();
        Assert.That(inFilter.Wait(Deadline), Is.True);
        Trace.Synchronize();
        synchronized.Set();
        Assert.That(firing.Join(Deadline), Is.True);

        Assert.That(sawSynchronize, Is.True);
    }

    [Test]
    public void SynchronizeStillWaitsForAProbeThatIsRunning()
    {
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var returned = 0;
        Attach<Action<int>>("Events.TraceValue", _ =>
        {
            entered.Set();
            release.Wait(Deadline);
            Thread.Sleep(20); // lets a Synchronize that does not wait see the probe unfinished
            Volatile.Write(ref returned, 1);
            throw new ApplicationException("probe");
        });
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        var firing = new Thread(() => Assert.Throws<ApplicationException>(() => traceValue(1)));
        firing.Start();
        Assert.That(entered.Wait(Deadline), Is.True);
        release.Set();

        Trace.Synchronize();

        Assert.That(Volatile.Read(ref returned), Is.EqualTo(1));
        Assert.That(firing.Join(Deadline), Is.True);
    }

    // ---- Group membership is idempotent ----------------------------------------------------

    [Test]
    public void AProbeAttachedAgainAndAgainIsOneMemberOfItsGroup()
    {
        var probe = Attach<Action<int>>("Events.TraceValue", _ => { });
        Trace.Lock();
        try
        {
            for (var i = 0; i < 1_000; i++)
            {
                probe.Detach();
                Trace.AttachProbe(Group, probe);
            }
            Group.Add(probe);

            Assert.That(Group.Count, Is.EqualTo(1));
        }
        finally
        {
            Trace.Unlock();
        }
        Group.Done();
        Trace.Setup(() => Assert.That(probe.IsAttached, Is.False));
    }

    // ---- The dispatch-state registry is bounded by the threads alive at once ---------------

    [Test]
    public void AThreadKeepsItsDispatchStateFromOneDispatchToTheNext()
    {
        var calls = 0;
        Attach<Action<int>>("Events.TraceValue", _ => calls++);
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        traceValue(0); // this thread has a state from here on
        var before = Dispatch.RegisteredStates;

        for (var i = 0; i < 1_000; i++) traceValue(i);

        Assert.That(calls, Is.EqualTo(1_001));
        Assert.That(Dispatch.RegisteredStates, Is.EqualTo(before), "a thread's dispatches added states to the registry");
    }

    /// <summary>
    /// A thread that has dispatched and is still alive keeps its state, though its dispatch is
    /// over: a new thread takes over only the state of a thread that has exited. Were the two
    /// sharing one, the idle thread would count as inside the other one's probe.
    /// </summary>
    [Test]
    public void ThreadsAliveAtOnceHaveADispatchStateEachEvenWhenIdle()
    {
        using var idleDispatched = new ManualResetEventSlim();
        using var probeEntered = new ManualResetEventSlim();
        using var synchronize = new ManualResetEventSlim();
        using var releaseProbe = new ManualResetEventSlim();
        var probeFinished = 0;
        Attach<Action<int>>("Events.TraceValue", value =>
        {
            if (value != 1) return;
            probeEntered.Set();
            // Returns when released, or after a while: Synchronize must wait for it either way.
            releaseProbe.Wait(TimeSpan.FromMilliseconds(500));
            Volatile.Write(ref probeFinished, 1);
        });
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        traceValue(0); // this thread has a state of its own
        // A state of an exited thread for the new threads to take over: only one of them may.
        var exited = new Thread(() => traceValue(0));
        exited.Start();
        Assert.That(exited.Join(Deadline), Is.True);
        Exception? refused = null;
        var finishedWhenSynchronized = -1;
        var idle = new Thread(() =>
        {
            traceValue(0);
            idleDispatched.Set();
            if (!synchronize.Wait(Deadline)) return;
            try
            {
                Trace.Synchronize();
                finishedWhenSynchronized = Volatile.Read(ref probeFinished);
            }
            catch (Exception e)
            {
                refused = e;
            }
        });
        var firing = new Thread(() => traceValue(1));
        idle.Start();
        try
        {
            Assert.That(idleDispatched.Wait(Deadline), Is.True);
            firing.Start();
            Assert.That(probeEntered.Wait(Deadline), Is.True);
            // This thread, the idle one and the firing one have dispatched and are alive: a state each.
            Assert.That(Dispatch.RegisteredStates, Is.GreaterThanOrEqualTo(3));
            synchronize.Set();
            Assert.That(idle.Join(Deadline), Is.True);
        }
        finally
        {
            synchronize.Set();
            releaseProbe.Set();
            Assert.That(idle.Join(Deadline) && (firing.ThreadState == ThreadState.Unstarted || firing.Join(Deadline)), Is.True);
        }

        Assert.That(refused, Is.Null, "the idle thread counted as inside the firing thread's probe");
        Assert.That(finishedWhenSynchronized, Is.EqualTo(1), "Synchronize on the idle thread did not wait for the running probe");
    }

    [Test]
    public void TenThousandShortLivedThreadsLeaveTheRegistrySmallAndSynchronizeCorrect()
    {
        const int Threads = 10_000, AtOnce = 4;
        long calls = 0, running = 0;
        Attach<Action<int>>("Events.TraceValue", _ =>
        {
            Interlocked.Increment(ref running);
            Interlocked.Increment(ref calls);
            Interlocked.Decrement(ref running);
        });
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        var before = Dispatch.RegisteredStates;

        for (var started = 0; started < Threads; started += AtOnce)
        {
            var batch = new List<Thread>();
            for (var i = 0; i < AtOnce; i++) batch.Add(new Thread(() => traceValue(1)));
            batch.ForEach(t => t.Start());
            foreach (var t in batch) Assert.That(t.Join(Deadline), Is.True);
        }

        Assert.That(Interlocked.Read(ref calls), Is.EqualTo(Threads));
        // Each batch's threads take over the states of the exited ones: the registry grows by at
        // most the threads alive at once (other tests' threads may add a few).
        Assert.That(Dispatch.RegisteredStates - before, Is.LessThanOrEqualTo(AtOnce + 16));

        // Synchronize still sees the dispatches of threads that took over a state.
        var stop = 0;
        var firers = new List<Thread>();
        for (var i = 0; i < AtOnce; i++)
        {
            firers.Add(new Thread(() =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    var shortLived = new Thread(() => { for (var n = 0; n < 100; n++) traceValue(n); });
                    shortLived.Start();
                    shortLived.Join();
                }
            }));
        }
        firers.ForEach(t => t.Start());
        Assert.That(SpinWait.SpinUntil(() => Interlocked.Read(ref calls) >= Threads + 10_000, Deadline), Is.True);
        Group.Done();
        Trace.Synchronize();
        var runningAfter = Interlocked.Read(ref running);
        var callsAfter = Interlocked.Read(ref calls);
        Volatile.Write(ref stop, 1);
        foreach (var t in firers) Assert.That(t.Join(Deadline), Is.True);

        Assert.That(runningAfter, Is.EqualTo(0), "a probe was still running after Done and Synchronize");
        Assert.That(Interlocked.Read(ref calls), Is.EqualTo(callsAfter), "a probe ran after Done and Synchronize");
    }
}
