using System;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tracing.Testing.Tests;

/// <summary>Delivering events and checking them: the harness core, fed by threads that call RxEvent directly.</summary>
public class ExpectTests : HarnessTest
{
    [Test]
    public void EventsOnSeveralStreamsPassWhenEachStreamIsCheckedInOrder()
    {
        Task w1 = null!, w2 = null!;
        TraceTest.Run(t =>
        {
            t.SetEventRouter(ByThread);
            w1 = Spawn(() => { t.RxEvent(new Step("w1", 1)); t.RxEvent(new Step("w1", 2)); });
            w2 = Spawn(() => { t.RxEvent(new Step("w2", 1)); t.RxEvent(new Step("w2", 2)); });
            // Streams are independent: the test picks an order across them.
            t.Expect("w2", new Step("w2", 1));
            t.Expect("w1", new Step("w1", 1));
            t.Expect("w2", new Step("w2", 2));
            t.Expect("w1", new Step("w1", 2));
            Join(w1, w2);
        });
        Assert.That(w1.IsCompletedSuccessfully && w2.IsCompletedSuccessfully, Is.True);
    }

    [Test]
    public void EventsGoToTheDefaultStreamWithoutARouter()
    {
        TraceTest.Run(t =>
        {
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            t.Expect(T.DefaultStream, new Step("w", 1));
            Join(w);
        });
    }

    [Test]
    public void ARouterThatReturnsNullOrEmptyMeansTheDefaultStream()
    {
        TraceTest.Run(t =>
        {
            t.SetEventRouter(e => ((Step)e).N == 1 ? null : "");
            var w = Spawn(() => { t.RxEvent(new Step("w", 1)); t.RxEvent(new Step("w", 2)); });
            t.Expect("default", new Step("w", 1));
            t.Expect("default", new Step("w", 2));
            Join(w);
        });
    }

    [Test]
    public void SettingTheRouterTwiceThrows()
    {
        TraceTest.Run(t =>
        {
            t.SetEventRouter(ByThread);
            var e = Assert.Throws<InvalidOperationException>(() => t.SetEventRouter(ByThread))!;
            Assert.That(e.Message, Does.StartWith("T.SetEventRouter: the event router is set already").And.Contain("Set it once"));
        });
    }

    [Test]
    public void AnEventOfTheWrongTypeFailsShowingBothAndIsRejectedInItsThread()
    {
        Task w = null!;
        var failure = RunFails(t =>
        {
            t.SetEventRouter(ByThread);
            w = Spawn(() => t.RxEvent(new Step("w", 1)));
            t.Expect("w", new Other("w"));
        });
        Assert.That(failure.Failures, Has.Count.EqualTo(1));
        Assert.That(failure.Failures[0].Message, Is.EqualTo(
            "w: expect Other: got Step\n" +
            "  want: Other { Thread = \"w\" }\n" +
            "  have: Step { Thread = \"w\", N = 1 }"));
        var rejected = FaultOf(w) as EventRejectedException;
        Assert.That(rejected?.Reason, Is.EqualTo("unexpected event type: the test expected Other"));
    }

    [Test]
    public void AnEventWithTheWrongValueFailsWithADiff()
    {
        Task w = null!;
        var failure = RunFails(t =>
        {
            t.SetEventRouter(ByThread);
            w = Spawn(() => t.RxEvent(new Step("w", 1)));
            t.Expect("w", new Step("w", 2));
        });
        Assert.That(failure.Failures[0].Message, Is.EqualTo(
            "w: expect Step: value differs\n" +
            "  want: Step { Thread = \"w\", N = 2 }\n" +
            "  have: Step { Thread = \"w\", N = 1 }\n" +
            "  diff (-want +have):\n" +
            "    N: -2 +1"));
        Assert.That((FaultOf(w) as EventRejectedException)?.Reason, Does.StartWith("unexpected event value"));
    }

    [Test]
    public void AnEventThatNeverComesFailsAtTheDeadlineNamingStreamAndType()
    {
        var failure = RunFails(t =>
        {
            t.SetEventRouter(ByThread);
            t.Expect("w2", new Step("w2", 1));
        }, ShortDeadline);
        Assert.That(failure.Failures[0].Message, Is.EqualTo(
            "w2: recv: deadlock waiting for Step: no event came on stream \"w2\" within 0.5 s\n" +
            "  want: Step { Thread = \"w2\", N = 1 }\n" +
            "  no event has reached any stream of this test: are the probes attached (t.Probes) to the events the code fires?"));
    }

    [Test]
    public void ADeadlockedTestListsTheEventsLeftOnEachStream()
    {
        Task w = null!;
        var failure = RunFails(t =>
        {
            t.SetEventRouter(ByThread);
            w = Spawn(() => t.RxEvent(new Step("t1", 1)));
            WaitQueued(t, "t1");
            t.Expect("t2", new Step("t2", 1));
        }, ShortDeadline);
        Assert.That(failure.Failures[0].Message, Does.StartWith("t2: recv: deadlock waiting for Step"));
        Assert.That(failure.Shutdown, Is.EqualTo(
            "test shutdown: 2 streams, 1 pending event\n" +
            "  t1 <- Step { Thread = \"t1\", N = 1 }\n" +
            "  # t2"));
        Assert.That((FaultOf(w) as EventRejectedException)?.Reason, Is.EqualTo("canceled: the test failed"));
    }

    [Test]
    public void AThreadThatTheTestNeverAsksFailsAtTheDeadline()
    {
        Task w = null!;
        var failure = RunFails(t =>
        {
            t.SetEventRouter(ByThread);
            w = Spawn(() => t.RxEvent(new Step("x", 1)));
            Join(w); // the test waits for the worker, which waits for the test: the worker's deadline breaks it
        }, ShortDeadline);
        Assert.That(failure.Failures, Has.Count.EqualTo(1));
        Assert.That(failure.Failures[0].Message, Is.EqualTo(
            "x: send: deadlock: Step { Thread = \"x\", N = 1 } waits on stream \"x\", and the test has checked nothing for 0.5 s"));
        Assert.That(failure.Shutdown, Does.Contain("\n  x <- Step { Thread = \"x\", N = 1 }"));
        Assert.That((FaultOf(w) as EventRejectedException)?.Reason, Does.StartWith("deadlock"));
    }

    [Test]
    public void AnEventSentButNeverCheckedFailsAndIsListed()
    {
        Task w = null!;
        var failure = RunFails(t =>
        {
            t.SetEventRouter(ByThread);
            w = Spawn(() => { t.RxEvent(new Step("w", 1)); t.RxEvent(new Step("w", 2)); });
            t.Expect("w", new Step("w", 1));
            WaitQueued(t, "w"); // the extra event has arrived; the body returns without checking it
        });
        Assert.That(failure.Failures, Has.Count.EqualTo(1));
        Assert.That(failure.Failures[0].Message, Is.EqualTo(
            "events sent but never checked (1):\n" +
            "  w <- Step { Thread = \"w\", N = 2 }"));
        Assert.That((FaultOf(w) as EventRejectedException)?.Reason, Is.EqualTo("the test ended without checking this event"));
    }

    [Test]
    public void AFailedExpectReleasesEveryBlockedThread()
    {
        Task a = null!, b = null!, c = null!;
        RunFails(t =>
        {
            t.SetEventRouter(ByThread);
            a = Spawn(() => t.RxEvent(new Step("a", 1)));
            b = Spawn(() => t.RxEvent(new Step("b", 1)));
            c = Spawn(() => { t.RxEvent(new Step("c", 1)); t.RxEvent(new Step("c", 2)); });
            t.Expect("c", new Step("c", 1));
            t.Expect("a", new Step("a", 99));
        });
        // Each worker was either waiting in RxEvent or arrived after the failure: either way it
        // leaves with EventRejectedException instead of staying blocked.
        Assert.That(FaultOf(a), Is.TypeOf<EventRejectedException>());
        Assert.That(FaultOf(b), Is.TypeOf<EventRejectedException>());
        Assert.That(FaultOf(c), Is.TypeOf<EventRejectedException>());
    }

    [Test]
    public void ChecksAfterAFailureFailAtOnce()
    {
        var failure = RunFails(t =>
        {
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            Assert.Throws<TraceTestException>(() => t.Expect("default", new Step("w", 2)));
            var again = Assert.Throws<TraceTestException>(() => t.Expect("default", new Step("w", 3)))!;
            Assert.That(again.Message, Does.StartWith("default: recv: canceled: the test failed: default: expect Step: value differs"));
            JoinQuietly(w);
        });
        Assert.That(failure.Failures, Has.Count.EqualTo(1), "the check after the failure is not a failure of its own");
    }

    [Test]
    public void ReceiveKeepsTheSenderPausedUntilAck()
    {
        TraceTest.Run(t =>
        {
            var passedFirst = false;
            var w = Spawn(() =>
            {
                t.RxEvent(new Step("w", 1));
                passedFirst = true;
                t.RxEvent(new Step("w", 2));
            });
            var first = t.Receive("default");
            Assert.That(first.Event, Is.EqualTo(new Step("w", 1)));
            Assert.That(first.Stream, Is.EqualTo("default"));
            Assert.That(passedFirst, Is.False, "the sender went on before Ack");
            first.Ack();
            t.Expect("default", new Step("w", 2));
            Assert.That(passedFirst, Is.True);
            Join(w);
        });
    }

    [Test]
    public void AnEventReceivedButNeverAcknowledgedFails()
    {
        Task w = null!;
        var failure = RunFails(t =>
        {
            w = Spawn(() => t.RxEvent(new Step("w", 1)));
            t.Receive("default");
        });
        Assert.That(failure.Failures[0].Message, Is.EqualTo(
            "events received but never acknowledged (1); call Ack() on each ReceivedEvent:\n" +
            "  default <- Step { Thread = \"w\", N = 1 }"));
        Assert.That((FaultOf(w) as EventRejectedException)?.Reason, Is.EqualTo("the test ended without acknowledging this event"));
    }

    [Test]
    public void AcknowledgingTwiceThrows()
    {
        TraceTest.Run(t =>
        {
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            var received = t.Receive("default");
            received.Ack();
            var e = Assert.Throws<InvalidOperationException>(received.Ack)!;
            Assert.That(e.Message, Does.StartWith("ReceivedEvent.Ack: default <- Step { Thread = \"w\", N = 1 } was acknowledged already"));
            Join(w);
        });
    }

    [Test]
    public void ExpectNonePassesOnAQuietStream()
    {
        TraceTest.Run(t =>
        {
            t.SetEventRouter(ByThread);
            var w = Spawn(() => t.RxEvent(new Step("a", 1)));
            WaitQueued(t, "a");
            // The only thread is paused at its event on "a": nothing can come on "b".
            t.ExpectNone("b");
            t.ExpectNone("b", TimeSpan.FromMilliseconds(20));
            t.Expect("a", new Step("a", 1));
            Join(w);
        });
    }

    [Test]
    public void ExpectNoneFailsWhenAnEventIsThere()
    {
        Task w = null!;
        var failure = RunFails(t =>
        {
            t.SetEventRouter(ByThread);
            w = Spawn(() => t.RxEvent(new Step("b", 1)));
            t.ExpectNone("b", JoinBound); // the event comes long before the window closes
        });
        Assert.That(failure.Failures[0].Message, Is.EqualTo("b: expect none: got Step { Thread = \"b\", N = 1 }"));
        Assert.That((FaultOf(w) as EventRejectedException)?.Reason, Is.EqualTo("unexpected event: the test expected none on this stream"));
    }

    [Test]
    public void FiringAnEventOnTheTestBodyThreadThrows()
    {
        TraceTest.Run(t =>
        {
            var e = Assert.Throws<InvalidOperationException>(() => t.RxEvent(new Step("w", 1)))!;
            Assert.That(e.Message, Does.StartWith("T.RxEvent: Step { Thread = \"w\", N = 1 } was fired on the thread that runs the test body")
                .And.Contain("Run the code under test on another thread"));
        });
    }

    [Test]
    public void UsingTAfterItsRunThrows()
    {
        T? kept = null;
        TraceTest.Run(t => kept = t);
        var expect = Assert.Throws<InvalidOperationException>(() => kept!.Expect("w", new Step("w", 1)))!;
        Assert.That(expect.Message, Does.StartWith("T.Expect: this T belongs to a test run that has ended"));
        var late = Assert.Throws<InvalidOperationException>(() => kept!.RxEvent(new Step("w", 1)))!;
        Assert.That(late.Message, Does.StartWith("T.RxEvent: Step { Thread = \"w\", N = 1 } was fired after its test run ended")
            .And.Contain("t.Probes"));
    }

    [Test]
    public void AnExceptionOfTheTestBodyFailsTheTest()
    {
        var boom = new FormatException("boom");
        var failure = RunFails(_ => throw boom);
        Assert.That(failure.Failures[0].Message, Is.EqualTo("the test body threw System.FormatException: boom"));
        Assert.That(failure.Failures[0].Exception, Is.SameAs(boom));
    }

    [Test]
    public void ARouterThatThrowsFailsTheTestAndThrowsInTheSender()
    {
        Task w = null!;
        var failure = RunFails(t =>
        {
            t.SetEventRouter(_ => throw new ArgumentException("no route"));
            w = Spawn(() => t.RxEvent(new Step("w", 1)));
            JoinQuietly(w);
        });
        Assert.That(failure.Failures[0].Message, Is.EqualTo("the event router threw ArgumentException for Step { Thread = \"w\", N = 1 }: no route"));
        Assert.That(FaultOf(w), Is.TypeOf<ArgumentException>());
    }

    [Test]
    public void TheDeadlineMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TraceTestOptions { Deadline = TimeSpan.Zero });
    }

    [Test]
    public void LogEventsWritesEachEventAsTheTestReceivesIt()
    {
        var output = new System.Collections.Generic.List<string>();
        TraceTest.Run(t =>
        {
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            t.Expect("default", new Step("w", 1));
            t.Log("done");
            Join(w);
        }, new TraceTestOptions { LogEvents = true, Output = output.Add });
        Assert.That(output, Is.EqualTo(new[] { "default <- Step { Thread = \"w\", N = 1 }", "done" }));
    }
}
