using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Tracing.Testing.Example;

namespace Tracing.Testing.Tests;

/// <summary>
/// The end of a run waits for the dispatches still running the probes of t.Probes: an event they
/// deliver after the test body returned is rejected like every other released event, and fails
/// the run instead of reaching RxEvent unchecked.
/// </summary>
public class EndOfRunTests : HarnessTest
{
    [Test]
    public void AnEventADispatchDeliversAfterTheBodyReturnedIsRejectedAndFailsTheRun()
    {
        Task worker = null!;
        Probe second = null!;
        var failure = RunFails(t =>
        {
            Trace.Setup(() =>
            {
                Trace.Attach(t.Probes, Greeter.TraceHi, who =>
                {
                    t.RxEvent(new Hi(who));
                    // Still in the first probe when the body returns: go on once the run detached t.Probes.
                    SpinWait.SpinUntil(() => !second.IsAttached, JoinBound);
                });
                second = Trace.Attach(t.Probes, Greeter.TraceHi, who => t.RxEvent(new Hello(who)));
            });
            worker = Spawn(() => Greeter.Hi("w"));
            t.Expect(T.DefaultStream, new Hi("w"));
        });

        Assert.That(failure.Failures[0].Message, Is.EqualTo(
            "events sent but never checked (1):\n  default <- Hello { Who = \"w\" }"));
        var rejected = FaultOf(worker) as EventRejectedException;
        Assert.That(rejected?.Reason, Is.EqualTo("the test ended without checking this event"));
    }
}
