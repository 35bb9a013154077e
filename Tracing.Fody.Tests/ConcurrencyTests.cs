using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>
/// Dispatch racing attach and detach. Each test is bounded by a number of iterations and a
/// deadline, never judged by time: what it asserts are counts.
/// </summary>
public class ConcurrencyTests : FixtureTest
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    static Action<int> FireLoop => (Action<int>)Woven.Method("Stress.Fire").CreateDelegate(typeof(Action<int>));

    [Test]
    public void AProbeAttachedForTheWholeRunSeesEveryFiringWhileOthersComeAndGo()
    {
        const int Threads = 2, Rounds = 200, PerRound = 1_000;
        long stable = 0;
        Attach<Action<int>>("Events.TraceValue", _ => Interlocked.Increment(ref stable));
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        var fire = FireLoop;
        var firing = 0;

        var firers = new List<Thread>();
        for (var t = 0; t < Threads; t++)
        {
            firers.Add(new Thread(() =>
            {
                for (var round = 0; round < Rounds; round++) fire(PerRound);
                Interlocked.Increment(ref firing);
            }));
        }
        var churn = new Thread(() =>
        {
            // Attach and detach other probes, before and after the stable one, until the firing ends.
            var random = new Random(42);
            var others = new List<Probe>();
            while (Volatile.Read(ref firing) < Threads)
            {
                Trace.Lock();
                if (others.Count < 4 && random.Next(2) == 0) others.Add(Trace.Attach(null, traceValue, _ => { }));
                else if (others.Count > 0)
                {
                    var i = random.Next(others.Count);
                    others[i].Detach();
                    if (random.Next(2) == 0) Trace.AttachProbe(null, others[i]);
                    else others.RemoveAt(i);
                }
                Trace.Unlock();
            }
            Trace.Setup(() => others.ForEach(p => p.Detach()));
        });

        firers.ForEach(t => t.Start());
        churn.Start();
        JoinAll(firers);
        JoinAll(new[] { churn });

        Assert.That(Interlocked.Read(ref stable), Is.EqualTo((long)Threads * Rounds * PerRound));
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
                Trace.Attach(pg, Woven.Event<Action<int>>("Events.TraceValue"), _ =>
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
        WaitUntil(() => Interlocked.Read(ref calls) >= 10_000);

        pg.Done();
        Trace.Synchronize();
        var runningAfterSynchronize = Interlocked.Read(ref running);
        var callsAfterSynchronize = Interlocked.Read(ref calls);
        var firedAfterSynchronize = Interlocked.Read(ref fired);
        WaitUntil(() => Interlocked.Read(ref fired) >= firedAfterSynchronize + 100_000); // the events keep firing
        Volatile.Write(ref stop, 1);
        JoinAll(firers);

        Assert.That(runningAfterSynchronize, Is.Zero, "a probe of the group was still running after Synchronize");
        Assert.That(Interlocked.Read(ref calls), Is.EqualTo(callsAfterSynchronize), "a probe of the group ran after Synchronize");
    }

    // go123's TestUseDetach: a dispatch racing a detach sees the probe once or not at all.
    [Test]
    public void ADispatchRacingADetachSeesTheProbeAtMostOnce()
    {
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        var outcomes = new int[2];
        for (var round = 0; round < 2_000; round++)
        {
            var calls = 0;
            Probe p = null!;
            Trace.Setup(() => p = Trace.Attach(null, traceValue, _ => Interlocked.Increment(ref calls)));
            var firer = new Thread(() => traceValue(round));
            firer.Start();
            Trace.Setup(p.Detach);
            JoinAll(new[] { firer });
            Assert.That(calls, Is.InRange(0, 1));
            outcomes[calls]++;
        }
        Assert.That(outcomes[0] + outcomes[1], Is.EqualTo(2_000));
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

    static void JoinAll(IEnumerable<Thread> threads)
    {
        foreach (var thread in threads)
            Assert.That(thread.Join(Deadline), Is.True, "a thread did not finish within the deadline");
    }

    static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(clock.Elapsed, Is.LessThan(Deadline), "the condition was not reached within the deadline");
            Thread.Sleep(1);
        }
    }
}
