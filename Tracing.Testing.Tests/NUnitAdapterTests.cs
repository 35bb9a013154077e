using System;
using System.Linq;
using System.Threading.Tasks;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using Tracing.Testing.NUnit;

namespace Tracing.Testing.Tests;

/// <summary>
/// The NUnit adapter. Assert.Throws runs its delegate in an isolated NUnit context, so the
/// failures the adapter records there are inspected here without failing these tests.
/// </summary>
public class NUnitAdapterTests : HarnessTest
{
    [Test]
    public void APassingTestPasses()
    {
        NUnitTraceTest.Run(t =>
        {
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            t.Expect("default", new Step("w", 1));
            Join(w);
        });
    }

    [Test]
    public void AFailureBecomesAnNUnitFailureWithTheHarnessMessage()
    {
        var e = Assert.Throws<AssertionException>(() => NUnitTraceTest.Run(t =>
        {
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            try
            {
                t.Expect("default", new Step("w", 2));
            }
            finally
            {
                JoinQuietly(w);
            }
        }))!;
        Assert.That(e.Message, Does.StartWith("default: expect Step: value differs").And.Contain("    N: -2 +1"));
        Assert.That(e.ResultState, Is.EqualTo(ResultState.Failure));
    }

    [Test]
    public void AnAsyncFailureBecomesAnNUnitFailure()
    {
        var e = Assert.ThrowsAsync<AssertionException>(() => NUnitTraceTest.RunAsync(async t =>
        {
            await t.ExpectAsync("w", new Step("w", 1));
        }, ShortDeadline))!;
        Assert.That(e.Message, Does.StartWith("w: recv: deadlock waiting for Step"));
    }

    [Test]
    public void EachFailingVerifyRerunIsItsOwnNamedAssertion()
    {
        var e = Assert.Throws<MultipleAssertException>(() => NUnitTraceTest.Verify(t =>
        {
            t.SetEventRouter(ByThread);
            var w = Spawn(() => { t.RxEvent(new Step("a", 1)); t.RxEvent(new Step("b", 1)); });
            t.Expect("a", new Step("a", 1));
            t.Expect("b", new Step("b", 1));
            Join(w);
            if (t.CaseName is { } name) throw new InvalidOperationException($"rerun {name}");
        }))!;
        var messages = e.TestResult.AssertionResults.Select(a => a.Message).ToList();
        Assert.That(messages, Is.EqualTo(new[]
        {
            "delay@0(=a:0): the test body threw System.InvalidOperationException: rerun delay@0(=a:0)",
            "delay@1(=b:0): the test body threw System.InvalidOperationException: rerun delay@1(=b:0)",
        }));
        Assert.That(e.TestResult.Output, Does.Contain("=== RUN delay@0(=a:0)").And.Contain("--- FAIL delay@1(=b:0)"));
    }

    [Test]
    public void HarnessOutputGoesToTestContext()
    {
        NUnitTraceTest.Run(t =>
        {
            var w = Spawn(() => t.RxEvent(new Step("w", 7)));
            t.Expect("default", new Step("w", 7));
            t.Log("checked");
            Join(w);
        }, new TraceTestOptions { LogEvents = true });
        Assert.That(TestExecutionContext.CurrentContext.CurrentResult.Output,
            Does.Contain("default <- Step { Thread = \"w\", N = 7 }\nchecked\n").Or.Contain("default <- Step { Thread = \"w\", N = 7 }\r\nchecked\r\n"));
    }

    [Test]
    public void AnNUnitAssertionInTheBodyIsReportedOnceAndStillReleasesTheSenders()
    {
        Task w = null!;
        var e = Assert.Throws<AssertionException>(() => NUnitTraceTest.Run(t =>
        {
            w = Spawn(() => t.RxEvent(new Step("w", 1)));
            WaitQueued(t, T.DefaultStream);
            Assert.That(1 + 1, Is.EqualTo(3));
        }))!;
        Assert.That(e.Message, Does.Contain("Expected: 3"));
        Assert.That(FaultOf(w), Is.TypeOf<EventRejectedException>());
    }
}
