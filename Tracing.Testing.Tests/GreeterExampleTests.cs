using System;
using System.Linq;
using NUnit.Framework;
using Tracing.Testing.Example;
using Tracing.Testing.NUnit;

namespace Tracing.Testing.Tests;

// The greeter's events as the tests see them.
public sealed record Hi(string Who);
public sealed record Hello(string Who);

/// <summary>
/// go123's tracetest/example_test.go, ported: <see cref="Greeter"/>'s woven trace events are
/// delivered to the test by probes, and routed to a stream per thread.
/// </summary>
public class GreeterExampleTests : HarnessTest
{
    // Attaches probes that hand the greeter's events to t, and routes each to its thread's stream.
    // t.Probes is detached when the run ends, so each Verify rerun attaches afresh.
    static void DeliverGreetings(T t)
    {
        Trace.Setup(() =>
        {
            Trace.Attach(t.Probes, Greeter.TraceHi, who => t.RxEvent(new Hi(who)));
            Trace.Attach(t.Probes, Greeter.TraceHello, who => t.RxEvent(new Hello(who)));
        });
        t.SetEventRouter(ByThreadId);
    }

    // By convention here, whom we greet is "<thread>·<name>": route to the thread's stream.
    static string ByThreadId(object e)
    {
        var who = e switch
        {
            Hi hi => hi.Who,
            Hello hello => hello.Who,
            _ => throw new ArgumentException($"unexpected event {e}"),
        };
        var dot = who.IndexOf('·');
        if (dot < 0) throw new ArgumentException($"{who} does not name its thread");
        return who.Substring(0, dot).ToLowerInvariant();
    }

    [Test]
    public void TwoThreadsThatWorkIndependentlyPass() => NUnitTraceTest.Verify(t =>
    {
        DeliverGreetings(t);
        var t1 = Spawn(() => { Greeter.Hi("T1·A"); Greeter.Hello("T1·B"); });
        var t2 = Spawn(() => { Greeter.Hello("T2·C"); Greeter.Hi("T2·D"); });
        try
        {
            // t1 and t2 are independent: any order across their streams is a possible one.
            t.Expect("t2", new Hello("T2·C"));
            t.Expect("t2", new Hi("T2·D"));
            t.Expect("t1", new Hi("T1·A"));
            t.Expect("t1", new Hello("T1·B"));
        }
        finally
        {
            Join(t1, t2);
        }
    });

    [Test]
    public void WaitingForAnEventThatNeverComesIsADeadlock()
    {
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Run(t =>
        {
            DeliverGreetings(t);
            var w = Spawn(() => Greeter.Hi("T1·A"));
            try
            {
                WaitQueued(t, "t1");
                // Nothing is ever sent on t2.
                t.Expect("t2", new Hi("zzz"));
            }
            finally
            {
                JoinQuietly(w);
            }
        }, ShortDeadline))!;
        Assert.That(failure.Failures.Single().Message, Is.EqualTo(
            "t2: recv: deadlock waiting for Hi: no event came on stream \"t2\" within 0.5 s\n" +
            "  want: Hi { Who = \"zzz\" }\n" +
            "  meanwhile these wait on other streams (check the order of the checks, or the router):\n" +
            "    t1 <- Hi { Who = \"T1·A\" }"));
        Assert.That(failure.Shutdown, Is.EqualTo(
            "test shutdown: 2 streams, 1 pending event\n" +
            "  t1 <- Hi { Who = \"T1·A\" }\n" +
            "  # t2"));
    }

    [Test]
    public void EventsOrderedOnlyByTimingAreCaughtByVerify()
    {
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Verify(t =>
        {
            DeliverGreetings(t);
            // The two threads should greet A before B, but nothing makes them: routing both to
            // stream x claims an order that does not exist. The first run happens to see A first
            // (WaitForTheFirstSender picks that interleaving); the rerun that delays A does not.
            var w1 = Spawn(() => Greeter.Hi("x·A"));
            var w2 = Spawn(() =>
            {
                WaitForTheFirstSender(t, "x", 1);
                Greeter.Hi("x·B");
            });
            try
            {
                t.Expect("x", new Hi("x·A"));
                t.Expect("x", new Hi("x·B"));
            }
            finally
            {
                JoinQuietly(w1, w2);
            }
        }))!;
        var caught = failure.Failures.Single(f => f.Case == "delay@0(=x:0)");
        Assert.That(caught.Message, Is.EqualTo(
            "x: expect Hi: value differs\n" +
            "  want: Hi { Who = \"x·A\" }\n" +
            "  have: Hi { Who = \"x·B\" }\n" +
            "  diff (-want +have):\n" +
            "    Who: -\"x·A\" +\"x·B\""));
    }

    [Test]
    public void AnExtraEventIsReportedAndListed()
    {
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Run(t =>
        {
            DeliverGreetings(t);
            var w = Spawn(() =>
            {
                Greeter.Hi("T1·A");
                Greeter.Hi("T1·Extra");
            });
            t.Expect("t1", new Hi("T1·A"));
            Join(w); // the thread waits for the test to take its extra event, the test for the thread
        }, ShortDeadline))!;
        Assert.That(failure.Failures.Single().Message, Is.EqualTo(
            "t1: send: deadlock: Hi { Who = \"T1·Extra\" } waits on stream \"t1\", and the test has checked nothing for 0.5 s"));
        Assert.That(failure.Shutdown, Is.EqualTo(
            "test shutdown: 1 stream, 1 pending event\n" +
            "  t1 <- Hi { Who = \"T1·Extra\" }"));
    }

    [Test]
    public void AnEventOfAnotherTypeFails()
    {
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Run(t =>
        {
            DeliverGreetings(t);
            var w = Spawn(() => Greeter.Hi("T1·A"));
            try
            {
                t.Expect("t1", new Hello("T1·A"));
            }
            finally
            {
                JoinQuietly(w);
            }
        }))!;
        Assert.That(failure.Failures.Single().Message, Is.EqualTo(
            "t1: expect Hello: got Hi\n" +
            "  want: Hello { Who = \"T1·A\" }\n" +
            "  have: Hi { Who = \"T1·A\" }"));
    }

    [Test]
    public void AnEventWithAnotherValueFails()
    {
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Run(t =>
        {
            DeliverGreetings(t);
            var w = Spawn(() => Greeter.Hi("T1·A"));
            try
            {
                t.Expect("t1", new Hi("T1·B"));
            }
            finally
            {
                JoinQuietly(w);
            }
        }))!;
        Assert.That(failure.Failures.Single().Message, Does.EndWith(
            "  diff (-want +have):\n" +
            "    Who: -\"T1·B\" +\"T1·A\""));
    }
}
