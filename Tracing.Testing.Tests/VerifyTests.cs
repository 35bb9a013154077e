using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Tracing.Testing.Tests;

/// <summary>Verify: reruns with one event delayed, to find streams that are not really ordered.</summary>
public class VerifyTests : HarnessTest
{
    // One thread fires a1, b1, a2 on streams a, b, a: every stream is ordered by that thread.
    static void OneThreadOnTwoStreams(T t)
    {
        t.SetEventRouter(ByThread);
        var w = Spawn(() =>
        {
            t.RxEvent(new Step("a", 1));
            t.RxEvent(new Step("b", 1));
            t.RxEvent(new Step("a", 2));
        });
        t.Expect("a", new Step("a", 1));
        t.Expect("b", new Step("b", 1));
        t.Expect("a", new Step("a", 2));
        Join(w);
    }

    // Two threads that are not synchronized (go123's TestRace), both routed to stream "x": wrong,
    // since they are concurrent. The first run sees x1 before x2; a rerun that delays x1 lets x2
    // overtake it (WaitForTheFirstSender picks these interleavings, which the threads can take).
    static void TwoUnsynchronizedThreadsOnOneStream(T t, Action<T> check)
    {
        t.SetEventRouter(_ => "x");
        var w1 = Spawn(() => t.RxEvent(new Step("x", 1)));
        var w2 = Spawn(() =>
        {
            WaitForTheFirstSender(t, "x", 1);
            t.RxEvent(new Step("x", 2));
        });
        try
        {
            check(t);
        }
        finally
        {
            JoinQuietly(w1, w2);
        }
    }

    [Test]
    public void VerifyPassesAndRerunsOncePerEventWithTheEventNamed()
    {
        var output = new List<string>();
        var runs = new List<string?>();
        TraceTest.Verify(t =>
        {
            runs.Add(t.CaseName);
            OneThreadOnTwoStreams(t);
        }, new TraceTestOptions { Output = output.Add });

        Assert.That(runs, Is.EqualTo(new[] { null, "delay@0(=a:0)", "delay@1(=b:0)", "delay@2(=a:1)" }));
        var cases = Lines(output).Where(l => l.StartsWith("=== RUN ", StringComparison.Ordinal) || l.StartsWith("--- ", StringComparison.Ordinal));
        Assert.That(cases, Is.EqualTo(new[]
        {
            "=== RUN delay@0(=a:0): a <- Step { Thread = \"a\", N = 1 } delayed by 0.01 s",
            "--- PASS delay@0(=a:0)",
            "=== RUN delay@1(=b:0): b <- Step { Thread = \"b\", N = 1 } delayed by 0.01 s",
            "--- PASS delay@1(=b:0)",
            "=== RUN delay@2(=a:1): a <- Step { Thread = \"a\", N = 2 } delayed by 0.01 s",
            "--- PASS delay@2(=a:1)",
        }).Using<string>((x, y) => Normalize(x) == Normalize(y)));
    }

    // The injected delay depends on the gaps measured in the first run: compare the lines without it.
    static string Normalize(string line) => System.Text.RegularExpressions.Regex.Replace(line, @"delayed by [0-9.]+ s$", "delayed by <delay>");

    [Test]
    public void VerifyCatchesConcurrentEventsRoutedToOneStream()
    {
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Verify(t =>
            TwoUnsynchronizedThreadsOnOneStream(t, t =>
            {
                t.Expect("x", new Step("x", 1));
                t.Expect("x", new Step("x", 2));
            })))!;

        // Delaying the first event lets the second overtake it.
        var caught = failure.Failures.Single(f => f.Case == "delay@0(=x:0)");
        Assert.That(caught.Message, Does.StartWith(
            "x: expect Step: value differs\n" +
            "  want: Step { Thread = \"x\", N = 1 }\n" +
            "  have: Step { Thread = \"x\", N = 2 }"));
        Assert.That(caught.ToString(), Does.StartWith("delay@0(=x:0): x: expect Step"));
    }

    [Test]
    public void VerifyFailsWhenAStreamGetsOtherEventsThanInTheFirstRun()
    {
        // The test does not check values, so only the comparison of streams can see the race.
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Verify(t =>
            TwoUnsynchronizedThreadsOnOneStream(t, t =>
            {
                t.Receive("x").Ack();
                t.Receive("x").Ack();
            })))!;

        var caught = failure.Failures.Single(f => f.Case == "delay@0(=x:0)");
        Assert.That(caught.Message, Is.EqualTo(
            "streams are not the same as in the first run (are events on one stream concurrent?):\n" +
            "  stream \"x\" event #0: first run Step { Thread = \"x\", N = 1 }, now Step { Thread = \"x\", N = 2 }\n" +
            "  first run: x: [Step { Thread = \"x\", N = 1 }, Step { Thread = \"x\", N = 2 }]\n" +
            "  now:       x: [Step { Thread = \"x\", N = 2 }, Step { Thread = \"x\", N = 1 }]"));
    }

    [Test]
    public void VerifyDoesNotRerunAFailedFirstRun()
    {
        var runs = 0;
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Verify(t =>
        {
            runs++;
            var w = Spawn(() => { t.RxEvent(new Step("w", 1)); t.RxEvent(new Step("w", 2)); });
            try
            {
                t.Expect("default", new Step("w", 2));
            }
            finally
            {
                JoinQuietly(w);
            }
        }))!;
        Assert.That(runs, Is.EqualTo(1));
        Assert.That(failure.Failures.Single().Case, Is.Null);
    }

    [Test]
    public void EveryFailingRerunIsReported()
    {
        var failure = Assert.Throws<TraceTestException>(() => TraceTest.Verify(t =>
        {
            OneThreadOnTwoStreams(t);
            if (t.CaseName is { } name) throw new InvalidOperationException($"rerun {name}");
        }))!;
        Assert.That(failure.Failures.Select(f => f.ToString()), Is.EqualTo(new[]
        {
            "delay@0(=a:0): the test body threw System.InvalidOperationException: rerun delay@0(=a:0)",
            "delay@1(=b:0): the test body threw System.InvalidOperationException: rerun delay@1(=b:0)",
            "delay@2(=a:1): the test body threw System.InvalidOperationException: rerun delay@2(=a:1)",
        }));
    }

    [Test]
    public void AVerifiedBodyWithFewerThanTwoEventsRunsOnce()
    {
        var runs = 0;
        TraceTest.Verify(t =>
        {
            runs++;
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            t.Expect("default", new Step("w", 1));
            Join(w);
        });
        Assert.That(runs, Is.EqualTo(1));
    }
}
