using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>
/// Dispatch racing attach and detach. Every wait is bounded by <see cref="Deadline"/> and every
/// test by the assembly's timeout (TestTimeout.cs); what the tests assert are counts and orders,
/// never how long something took.
/// </summary>
/// <remarks>
/// This file is also compiled into Tracing.Runtime.NetStandard.Tests, which runs it against the
/// netstandard2.0 build of Tracing.Runtime (its Synchronize relies on a fence in every dispatch
/// instead of a process-wide barrier).
/// </remarks>
public class ConcurrencyTests : FixtureTest
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    static Action<int> FireLoop => (Action<int>)Woven.Method("Stress.Fire").CreateDelegate(typeof(Action<int>));

    static Action<int> TraceValue => Woven.Event<Action<int>>("Events.TraceValue");

    /// <summary>
    /// go123's probe list clears the <c>next</c> of a node it detaches, so a dispatch standing on
    /// that node ends its walk there and skips every probe after it. Here probes are attached
    /// before and after the stable one, and each probe before it is detached while a dispatch is
    /// inside it (the probe waits until it has been detached), so the walk then goes on from a
    /// detached node: the stable probe must still see every firing.
    /// </summary>
    [Test]
    public void AProbeAttachedForTheWholeRunSeesEveryFiringWhileProbesBeforeAndAfterItComeAndGo()
    {
        const int Before = 16, After = 4, Firers = 2, ChurnPerDetach = 100;
        var traceValue = TraceValue;
        var standIn = -1;                // step * Before + index of the probe dispatches stop in, or -1
        var released = 0;                // dispatches standing in a probe of a step up to this one go on
        var arrived = new int[Before + 1]; // dispatches that stopped in the probe of each step
        long stable = 0, fired = 0;
        var stop = 0;

        void BeforeProbe(int index)
        {
            var target = Volatile.Read(ref standIn);
            if (target < Before || target % Before != index) return;
            var step = target / Before;
            Interlocked.Increment(ref arrived[step]);
            BusyWait(() => Volatile.Read(ref released) >= step); // bounded; the test thread asserts
        }

        var before = new List<Probe>();
        Trace.Setup(() =>
        {
            for (var i = 0; i < Before; i++)
            {
                var index = i;
                before.Add(Trace.Attach(Group, traceValue, _ => BeforeProbe(index)));
            }
            Trace.Attach(Group, traceValue, _ => Interlocked.Increment(ref stable));
        });

        var fire = FireLoop;
        var firers = new List<Thread>();
        for (var t = 0; t < Firers; t++)
        {
            firers.Add(new Thread(() =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    fire(10);
                    Interlocked.Add(ref fired, 10);
                }
            }));
        }
        firers.ForEach(t => t.Start());

        var random = new Random(42);
        var after = new List<Probe>();
        var order = new List<int>();
        for (var i = 0; i < Before; i++) order.Insert(random.Next(order.Count + 1), i); // detach in a shuffled order
        try
        {
            for (var step = 1; step <= Before; step++)
            {
                // Probes after the stable one come and go (a probe attached again goes to the end).
                for (var c = 0; c < ChurnPerDetach; c++)
                {
                    Trace.Setup(() =>
                    {
                        if (after.Count < After && random.Next(2) == 0) after.Add(Trace.Attach(Group, traceValue, _ => { }));
                        else if (after.Count > 0)
                        {
                            var i = random.Next(after.Count);
                            after[i].Detach();
                            if (random.Next(2) == 0) Trace.AttachProbe(Group, after[i]);
                            else after.RemoveAt(i);
                        }
                    });
                }

                // Detach a probe before the stable one while a dispatch stands in it; then let
                // the dispatch go on from the detached node.
                var index = order[step - 1];
                Volatile.Write(ref standIn, step * Before + index);
                Assert.That(BusyWait(() => Volatile.Read(ref arrived[step]) > 0), Is.True,
                    "no dispatch reached the probe before the stable one");
                Trace.Setup(before[index].Detach);
                Volatile.Write(ref standIn, -1);
                Volatile.Write(ref released, step);
            }
        }
        finally
        {
            Volatile.Write(ref standIn, -1);
            Volatile.Write(ref released, int.MaxValue);
            Volatile.Write(ref stop, 1);
            JoinAll(firers);
        }

        Assert.That(Interlocked.Read(ref fired), Is.GreaterThan(0));
        Assert.That(Interlocked.Read(ref stable), Is.EqualTo(Interlocked.Read(ref fired)),
            "the stable probe missed firings: a dispatch skipped it");
    }

    [Test]
    public void AfterDoneAndSynchronizeTheGroupsProbesAreNeverCalledAgain()
    {
        var pg = new ProbeGroup();
        long calls = 0, running = 0, fired = 0;
        Trace.Setup(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                Trace.Attach(pg, TraceValue, _ =>
                {
                    Interlocked.Increment(ref running);
                    Thread.SpinWait(20); // widen the window in which Done can race the probe
                    Interlocked.Increment(ref calls);
                    Interlocked.Decrement(ref running);
                });
            }
        });
        var stop = 0;
        var fire = FireLoop;
        var firers = new List<Thread>();
        for (var t = 0; t < 2; t++)
        {
            firers.Add(new Thread(() =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    fire(100);
                    Interlocked.Add(ref fired, 100);
                }
            }));
        }
        firers.ForEach(t => t.Start());
        try
        {
            WaitUntil(() => Interlocked.Read(ref calls) >= 10_000);

            pg.Done();
            Trace.Synchronize();
            var runningAfterSynchronize = Interlocked.Read(ref running);
            var callsAfterSynchronize = Interlocked.Read(ref calls);
            var firedAfterSynchronize = Interlocked.Read(ref fired);
            WaitUntil(() => Interlocked.Read(ref fired) >= firedAfterSynchronize + 100_000); // the events keep firing

            Assert.That(runningAfterSynchronize, Is.Zero, "a probe of the group was still running after Synchronize");
            Assert.That(Interlocked.Read(ref calls), Is.EqualTo(callsAfterSynchronize), "a probe of the group ran after Synchronize");
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            JoinAll(firers);
            pg.Done();
        }
    }

    /// <summary>
    /// go123's TestUseDetach: a dispatch racing a detach calls the probe once or not at all, and
    /// both happen; a dispatch that starts after the detach returned, on any thread, never calls it.
    /// </summary>
    [Test]
    public void ADispatchRacingADetachSeesTheProbeAtMostOnceAndNoneStartedAfterTheDetach()
    {
        const int MinimumRounds = 1_000, MaximumRounds = 200_000, EachOutcomeAtLeast = 20;
        var traceValue = TraceValue;
        var seen = new int[MaximumRounds + 1]; // calls of the probe with each round's value
        long afterDetach = 0;                  // calls by dispatches that started after the detach returned
        var go = 0;                            // the round the firer is to race
        var detached = 0;                      // the round whose detach has returned
        var firing = 0;                        // the round whose racing dispatch the firer is about to start
        var firerDone = 0;                     // the round the firer has finished
        var stop = 0;

        void Record(int value)
        {
            if (value > 0) Interlocked.Increment(ref seen[value]);
            else Interlocked.Increment(ref afterDetach);
        }

        var firer = new Thread(() =>
        {
            for (var round = 1; ; round++)
            {
                if (!BusyWait(() => Volatile.Read(ref go) >= round || Volatile.Read(ref stop) != 0)) return;
                if (Volatile.Read(ref stop) != 0) return;
                Volatile.Write(ref firing, round);
                traceValue(round);  // races the detach
                if (!BusyWait(() => Volatile.Read(ref detached) >= round)) return;
                traceValue(-round); // starts after the detach returned (on the other thread)
                Volatile.Write(ref firerDone, round);
            }
        });
        firer.Start();

        var random = new Random(7);
        var outcomes = new int[2];
        var rounds = 0;
        try
        {
            while (rounds < MinimumRounds || outcomes[0] < EachOutcomeAtLeast || outcomes[1] < EachOutcomeAtLeast)
            {
                Assert.That(rounds, Is.LessThan(MaximumRounds),
                    $"after {rounds} rounds the race went one way only: {outcomes[0]} without the probe, {outcomes[1]} with it");
                var round = ++rounds;
                Probe p = null!;
                Trace.Setup(() => p = Trace.Attach(Group, traceValue, Record));
                Volatile.Write(ref go, round);
                // Vary how far the firer gets before the detach, so that both outcomes occur: in
                // half the rounds wait until it is about to dispatch, then spin a random while.
                if (random.Next(2) == 0)
                    Assert.That(BusyWait(() => Volatile.Read(ref firing) >= round), Is.True, "the firing thread did not start its round");
                Thread.SpinWait(random.Next(0, 400));
                Trace.Setup(p.Detach);
                traceValue(-round); // starts after the detach returned, on this thread
                Volatile.Write(ref detached, round);
                Assert.That(BusyWait(() => Volatile.Read(ref firerDone) >= round), Is.True,
                    "the firing thread did not finish its round");

                var calls = Volatile.Read(ref seen[round]);
                Assert.That(calls, Is.InRange(0, 1), $"round {round}: the racing dispatch called the probe {calls} times");
                outcomes[calls]++;
            }
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            JoinAll(new[] { firer });
        }

        TestContext.Out.WriteLine($"{rounds} rounds: {outcomes[0]} without the probe, {outcomes[1]} with it");
        Assert.That(Interlocked.Read(ref afterDetach), Is.Zero, "a dispatch that started after the detach returned called the probe");
        Assert.That(outcomes[0] + outcomes[1], Is.EqualTo(rounds));
    }

    /// <summary>
    /// Synchronize waits for a probe that is running, on a thread that dispatches for the first
    /// time (so the dispatch registers that thread while the test runs).
    /// </summary>
    [Test]
    public void SynchronizeWaitsForAProbeThatIsRunningOnAnotherThread()
    {
        using var entered = new ManualResetEventSlim();
        using var released = new ManualResetEventSlim();
        var finished = 0;
        var pg = new ProbeGroup();
        Trace.Setup(() => Trace.Attach(pg, TraceValue, _ =>
        {
            entered.Set();
            // Returns when the test releases it, or after a while: Synchronize must wait for it
            // either way. The while only makes a Synchronize that does not wait return first.
            released.Wait(TimeSpan.FromMilliseconds(500));
            Volatile.Write(ref finished, 1);
        }));
        FireThenDoneAndSynchronize(pg, entered, released, () => Volatile.Read(ref finished) == 1, "Synchronize returned while the probe was running");
    }

    /// <summary>
    /// A thread that dispatches all the time is rarely seen between two dispatches; Synchronize
    /// still returns once the dispatch it saw running has finished, without waiting for the
    /// thread to stop.
    /// </summary>
    [Test]
    public void SynchronizeReturnsWhileAnotherThreadKeepsDispatching()
    {
        long calls = 0;
        var stop = 0;
        var pg = new ProbeGroup();
        Trace.Setup(() => Trace.Attach(pg, TraceValue, _ =>
        {
            Interlocked.Increment(ref calls);
            Thread.SpinWait(1_000_000); // the thread spends nearly all its time inside a dispatch
        }));
        var fire = FireLoop;
        var firer = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0) fire(1);
        });
        firer.Start();
        bool returned;
        try
        {
            WaitUntil(() => Interlocked.Read(ref calls) >= 2);
            var synchronize = new Thread(Trace.Synchronize);
            synchronize.Start();
            returned = synchronize.Join(Deadline);
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            JoinAll(new[] { firer });
            pg.Done();
        }
        Assert.That(returned, Is.True, "Synchronize waited for the other thread to stop dispatching");
    }

    /// <summary>
    /// A probe that fires other events runs dispatches nested in its own; each nested one that
    /// finishes is not the end of the outer dispatch, which Synchronize still waits for.
    /// </summary>
    [Test]
    public void SynchronizeWaitsForADispatchWhoseProbeFiresOtherEvents()
    {
        using var entered = new ManualResetEventSlim();
        using var released = new ManualResetEventSlim();
        var finished = 0;
        long nested = 0;
        var traceText = Woven.Event<Action<string>>("Events.TraceText");
        Attach<Action<string>>("Events.TraceText", _ => Interlocked.Increment(ref nested));
        var pg = new ProbeGroup();
        Trace.Setup(() => Trace.Attach(pg, TraceValue, _ =>
        {
            traceText("first");
            entered.Set();
            // Nested dispatches start and finish all the time until the test releases this probe,
            // or a while has passed (the while only makes a Synchronize that does not wait return first).
            var clock = Stopwatch.StartNew();
            while (!released.IsSet && clock.ElapsedMilliseconds < 500) traceText("nested");
            Volatile.Write(ref finished, 1);
        }));
        FireThenDoneAndSynchronize(pg, entered, released, () => Volatile.Read(ref finished) == 1, "Synchronize returned when a nested dispatch finished");
        Assert.That(Interlocked.Read(ref nested), Is.GreaterThan(0));
    }

    /// <summary>
    /// Synchronize waits for the dispatches that were running when it was called, not for a
    /// moment when their thread runs none: here the firing thread starts its next dispatch as
    /// soon as the one Synchronize waits for has finished, and that next one does not end
    /// until Synchronize has returned.
    /// </summary>
    [Test]
    public void SynchronizeReturnsOnceTheDispatchItSawHasFinishedThoughTheNextOneHasStarted()
    {
        using var firstEntered = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        using var secondEntered = new ManualResetEventSlim();
        using var releaseSecond = new ManualResetEventSlim();
        var secondFinished = 0;
        var pg = new ProbeGroup();
        Trace.Setup(() => Trace.Attach(pg, TraceValue, value =>
        {
            if (value == 1)
            {
                firstEntered.Set();
                releaseFirst.Wait(Deadline);
            }
            else
            {
                secondEntered.Set();
                releaseSecond.Wait(Deadline); // a Synchronize that waits for this one returns only after it
                Volatile.Write(ref secondFinished, 1);
            }
        }));
        var traceValue = TraceValue;
        var firer = new Thread(() =>
        {
            traceValue(1);
            traceValue(2); // starts right after the first dispatch has finished
        });
        var synchronize = new Thread(Trace.Synchronize);
        var threads = new List<Thread> { firer };
        firer.Start();
        try
        {
            Assert.That(firstEntered.Wait(Deadline), Is.True, "the first probe did not run");
            synchronize.Start();
            threads.Add(synchronize);
            // Synchronize sleeps between its looks at a running dispatch (SpinWait), so once its
            // thread is seen asleep it has seen the first dispatch running: the firing thread's is
            // the only dispatch running.
            Assert.That(SpinWait.SpinUntil(() => (synchronize.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0
                || !synchronize.IsAlive, Deadline), Is.True, "Synchronize neither waited nor returned");
            Assert.That(synchronize.IsAlive, Is.True, "Synchronize returned while the first dispatch was running");
            releaseFirst.Set();
            Assert.That(secondEntered.Wait(Deadline), Is.True, "the second probe did not run");

            Assert.That(synchronize.Join(2 * Deadline), Is.True, "Synchronize did not return");
            Assert.That(Volatile.Read(ref secondFinished), Is.Zero,
                "Synchronize waited for a dispatch that started after the one it saw running had finished");
        }
        finally
        {
            releaseFirst.Set();
            releaseSecond.Set();
            JoinAll(threads);
            pg.Done();
        }
    }

    [Test]
    public void ProbesRunOnTheThreadThatFiredTheEvent()
    {
        var threads = new List<int>();
        Attach<Action<int>>("Events.TraceValue", _ => { lock (threads) threads.Add(Environment.CurrentManagedThreadId); });
        var fire = FireLoop;
        var ids = new List<int>();
        var workers = new List<Thread>();
        for (var t = 0; t < 3; t++)
        {
            var worker = new Thread(() => fire(1));
            workers.Add(worker);
            worker.Start();
            ids.Add(worker.ManagedThreadId);
        }
        JoinAll(workers);
        Assert.That(threads, Is.EquivalentTo(ids));
    }

    /// <summary>
    /// Fires TraceValue on a thread of its own; once its probe has <paramref name="entered"/>,
    /// detaches the group and synchronizes, then asserts the probe had <paramref name="finished"/>.
    /// The probe is <paramref name="released"/> and the thread joined whatever happens.
    /// </summary>
    static void FireThenDoneAndSynchronize(ProbeGroup pg, ManualResetEventSlim entered, ManualResetEventSlim released, Func<bool> finished, string message)
    {
        var traceValue = TraceValue;
        var firer = new Thread(() => traceValue(1));
        firer.Start();
        try
        {
            Assert.That(entered.Wait(Deadline), Is.True, "the probe did not run");
            pg.Done();
            Trace.Synchronize();
            Assert.That(finished(), Is.True, message);
        }
        finally
        {
            released.Set();
            JoinAll(new[] { firer });
        }
    }

    static void JoinAll(IEnumerable<Thread> threads)
    {
        foreach (var thread in threads)
            Assert.That(thread.Join(Deadline), Is.True, "a thread did not finish within the deadline");
    }

    static void WaitUntil(Func<bool> condition) =>
        Assert.That(SpinWait.SpinUntil(condition, Deadline), Is.True, "the condition was not reached within the deadline");

    /// <summary>
    /// Spins until <paramref name="condition"/> holds, without sleeping (SpinWait.SpinUntil
    /// sleeps after a while, which would settle every race the same way); false after <see cref="Deadline"/>.
    /// </summary>
    static bool BusyWait(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 1; !condition(); i++)
        {
            if ((i & 1023) == 0)
            {
                if (clock.Elapsed > Deadline) return false;
                Thread.Yield(); // let a descheduled thread run on a busy machine
            }
            Thread.SpinWait(4);
        }
        return true;
    }
}
