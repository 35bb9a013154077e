using System;
using System.Collections.Generic;
using NUnit.Framework;

namespace Tracing.Fody.Tests;

/// <summary>What probes see when woven code fires events: the seed's examples and go123's tests.</summary>
public class BehaviourTests : FixtureTest
{
    [Test]
    public void SeedExampleProbeSeesEveryHelloUntilDetached()
    {
        var saidHello = new List<string>();
        var p = Attach<Action<string>>("Hello.TraceHello", who => saidHello.Add(who));

        Woven.Call("Hello.SayHello", "JP");
        Woven.Call("Hello.SayHello", "Kirr");
        Woven.Call("Hello.SayHello", "Varya");
        Trace.Setup(p.Detach);
        Woven.Call("Hello.SayHello", "world");

        Assert.That(saidHello, Is.EqualTo(new[] { "JP", "Kirr", "Varya" }));
        Assert.That(Seen, Is.EqualTo(new[] { "Hello, JP", "Hello, Kirr", "Hello, Varya", "Hello, world" }));
    }

    [Test]
    public void SeedExampleProbeGroupDetachesAllItsProbesWithoutTheLock()
    {
        var seen = new List<string>();
        var pg = Woven.Call<ProbeGroup>("Scenarios.AttachHelloProbes", seen);

        Woven.Call("Hello.SayHello", "JP");
        pg.Done();
        Woven.Call("Hello.SayHello", "Kirr");

        Assert.That(seen, Is.EqualTo(new[] { "pre JP", "post JP" }));
    }

    [Test]
    public void ProbesRunInAttachOrder()
    {
        var order = new List<int>();
        Attach<Action<int>>("Events.TraceValue", v => order.Add(1));
        var second = Attach<Action<int>>("Events.TraceValue", v => order.Add(2));
        Attach<Action<int>>("Events.TraceValue", v => order.Add(3));

        Woven.Call("Events.TraceValue", 0);
        Trace.Setup(second.Detach);
        Woven.Call("Events.TraceValue", 0);
        Trace.Setup(() => Trace.AttachProbe(null, second));
        Woven.Call("Events.TraceValue", 0);

        Assert.That(order, Is.EqualTo(new[] { 1, 2, 3, 1, 3, 1, 3, 2 }));
    }

    // go123's TestAttachDetach: the probe list through Next(), detach, double detach, re-attach.
    [Test]
    public void AttachDetachKeepsTheListInOrder()
    {
        Action<string> nop = _ => { };
        var p1 = Attach("Hello.TraceHelloPre", nop);
        Assert.That(ListFrom(p1), Is.EqualTo(new[] { p1 }));
        var p2 = Attach("Hello.TraceHelloPre", nop);
        var p3 = Attach("Hello.TraceHelloPre", nop);
        Assert.That(ListFrom(p1), Is.EqualTo(new[] { p1, p2, p3 }));

        Trace.Lock();
        try
        {
            p2.Detach();
            Assert.That(ListFrom(p1), Is.EqualTo(new[] { p1, p3 }));
            Assert.That(p2.IsAttached, Is.False);
            Assert.That(p2.Next(), Is.Null);
            p2.Detach(); // detaching twice is harmless
            Assert.That(ListFrom(p1), Is.EqualTo(new[] { p1, p3 }));
            Trace.AttachProbe(null, p2);
            Assert.That(ListFrom(p1), Is.EqualTo(new[] { p1, p3, p2 }));
            p1.Detach();
            Assert.That(ListFrom(p3), Is.EqualTo(new[] { p3, p2 }));
            p3.Detach();
            p2.Detach();
            Assert.That(p3.IsAttached || p2.IsAttached, Is.False);
            Trace.AttachProbe(null, p1);
            Assert.That(ListFrom(p1), Is.EqualTo(new[] { p1 }));
        }
        finally
        {
            Trace.Unlock();
        }
    }

    /// <summary>
    /// Probes detached and attached again in a random (seeded) order, at the head, in the middle
    /// and at the tail of the list: after each change a firing calls exactly the attached probes,
    /// in attach order, and <see cref="Probe.Next"/> walks the same list.
    /// </summary>
    [Test]
    public void AfterAnySequenceOfDetachesAndAttachesTheEventCallsExactlyTheAttachedProbesInOrder()
    {
        const int Probes = 5, Changes = 2_000;
        var called = new List<int>();
        var probes = new List<Probe>();
        for (var i = 0; i < Probes; i++)
        {
            var index = i;
            probes.Add(Attach<Action<int>>("Events.TraceValue", _ => called.Add(index)));
        }
        var attached = new List<int> { 0, 1, 2, 3, 4 }; // the model: attach order
        var traceValue = Woven.Event<Action<int>>("Events.TraceValue");
        var random = new Random(11);

        for (var change = 0; change < Changes; change++)
        {
            var i = random.Next(Probes);
            Trace.Lock();
            try
            {
                if (probes[i].IsAttached)
                {
                    probes[i].Detach();
                    attached.Remove(i);
                }
                else
                {
                    Trace.AttachProbe(null, probes[i]);
                    attached.Add(i);
                }
                var walked = attached.Count == 0 ? new List<int>() : ListFrom(probes[attached[0]]).ConvertAll(probes.IndexOf);
                Assert.That(walked, Is.EqualTo(attached), $"change {change}: Next() walks another list");
            }
            finally
            {
                Trace.Unlock();
            }

            called.Clear();
            traceValue(change);
            Assert.That(called, Is.EqualTo(attached), $"change {change}: the firing called other probes");
        }
    }

    [Test]
    public void DoneEmptiesTheGroupSoALaterDoneLeavesItsOldProbesAlone()
    {
        var calls = 0;
        var pg = new ProbeGroup();
        Probe p = null!;
        Trace.Setup(() => p = Trace.Attach(pg, Woven.Event<Action<int>>("Events.TraceValue"), _ => calls++));
        pg.Done();
        Trace.Setup(() => Trace.AttachProbe(Group, p)); // attached again, now in the test's group
        pg.Done();

        Woven.Call("Events.TraceValue", 1);
        Assert.That(p.IsAttached, Is.True);
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public void AttachProbeAddsTheProbeToTheGroupItNames()
    {
        var calls = 0;
        Probe p = null!;
        Trace.Setup(() => p = Trace.Attach(null, Woven.Event<Action<int>>("Events.TraceValue"), _ => calls++));
        Trace.Setup(p.Detach);
        var pg = new ProbeGroup();
        Trace.Setup(() => Trace.AttachProbe(pg, p));
        Woven.Call("Events.TraceValue", 1);
        pg.Done();
        Woven.Call("Events.TraceValue", 2);

        Assert.That(p.IsAttached, Is.False);
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public void DisposeDetachesTheGroupLikeDone()
    {
        var calls = 0;
        using (var pg = new ProbeGroup())
        {
            Trace.Setup(() => Trace.Attach(pg, Woven.Event<Action<int>>("Events.TraceValue"), _ => calls++));
            Woven.Call("Events.TraceValue", 1);
        }
        Woven.Call("Events.TraceValue", 2);
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public void AGroupCanBeUsedAgainAfterDone()
    {
        var calls = 0;
        Trace.Setup(() => Trace.Attach(Group, Woven.Event<Action<int>>("Events.TraceValue"), _ => calls++));
        Group.Done();
        Trace.Setup(() => Trace.Attach(Group, Woven.Event<Action<int>>("Events.TraceValue"), _ => calls += 10));
        Woven.Call("Events.TraceValue", 1);
        Assert.That(calls, Is.EqualTo(10));
    }

    [Test]
    public void AnExceptionFromAProbeReachesTheCodeThatFiredTheEvent()
    {
        var later = 0;
        Attach<Action<string>>("Hello.TraceHello", who => throw new ApplicationException("probe failed for " + who));
        Attach<Action<string>>("Hello.TraceHello", who => later++);

        var e = Assert.Throws<ApplicationException>(() => Woven.Call("Hello.SayHello", "JP"));

        Assert.That(e!.Message, Is.EqualTo("probe failed for JP"));
        Assert.That(later, Is.Zero, "probes after the one that threw do not run");
        Assert.That(Seen, Is.EqualTo(new[] { "Hello, JP" }));
        Trace.Synchronize(); // the failed dispatch is not counted as running
    }

    [Test]
    public void EveryWayOfAttachingFromWovenCodeAttaches()
    {
        var seen = new List<string>();
        var probes = new[]
        {
            Woven.Call<Probe>("Scenarios.AttachWithExplicitDelegate", seen),
            Woven.Call<Probe>("Scenarios.AttachThroughLocal", seen),
            Woven.Call<Probe>("Scenarios.AttachGenerated", seen),
        };
        Woven.Call("Hello.SayHello", "JP");
        Trace.Setup(() => { foreach (var p in probes) p.Detach(); });
        Woven.Call("Hello.SayHello", "Kirr");

        Assert.That(seen, Is.EqualTo(new[] { "explicit JP", "local JP", "generated JP" }));
        Assert.That(probes[0].EventName, Is.EqualTo("AssemblyToProcess.Hello.TraceHello"));
    }

    [Test]
    public void AFileWithBothSystemDiagnosticsAndTracingCompilesAndTraces()
    {
        var seen = new List<string>();
        Woven.Call("NameClash.Run", seen);
        Assert.That(seen, Is.EqualTo(new[] { "both usings" }));
    }

    [Test]
    public void EventsWithManyParametersDeliverEveryArgument()
    {
        var record = new List<string>();
        Trace.Setup(() => Woven.AttachRecorders(Group, record));

        Woven.Call("CallShapes.Many");
        Woven.Call("CallShapes.Sixteen");
        Woven.Call("CallShapes.Span", "xspan");
        Woven.Call("CallShapes.Boxing", 7);

        Assert.That(record, Is.EqualTo(new[]
        {
            "TraceMixed(1, 1.5, True, Friday, null, 00000000-0000-0000-0000-000000000000, (7, seven), [1 2])",
            "TraceSixteen(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 2)",
            "TraceSpan(span)",
            "TraceObject(7)",
        }));
    }

    /// <summary>
    /// The first woven assembly that runs starts the Tracing EventSource (on the thread pool), so
    /// that diagnostics sessions can ask for its events (docs/eventpipe.md).
    /// </summary>
    [Test]
    public void AWovenAssemblyThatRunsStartsTheTracingEventSource()
    {
        Woven.Call("Effects.Reset"); // the fixture has run
        Assert.That(System.Threading.SpinWait.SpinUntil(
            () => System.Linq.Enumerable.Any(System.Diagnostics.Tracing.EventSource.GetSources(), s => s.Name == "Tracing"),
            TimeSpan.FromSeconds(20)), Is.True, "no EventSource named Tracing");
    }

    static List<Probe> ListFrom(Probe first)
    {
        var list = new List<Probe>();
        for (var p = first; p is not null; p = p.Next()) list.Add(p);
        return list;
    }
}
