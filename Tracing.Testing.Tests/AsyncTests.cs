using System;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tracing.Testing.Tests;

/// <summary>Async test bodies: the checker waits without holding a thread.</summary>
public class AsyncTests : HarnessTest
{
    [Test]
    public async Task AnAsyncBodyChecksEventsWithExpectAsync()
    {
        await TraceTest.RunAsync(async t =>
        {
            t.SetEventRouter(ByThread);
            var w = Spawn(() => { t.RxEvent(new Step("a", 1)); t.RxEvent(new Step("b", 2)); });
            await t.ExpectAsync("a", new Step("a", 1));
            var received = await t.ReceiveAsync("b");
            Assert.That(received.Event, Is.EqualTo(new Step("b", 2)));
            received.Ack();
            await t.ExpectNoneAsync("a");
            await w;
        });
    }

    [Test]
    public void AnAsyncBodyFailsLikeASynchronousOne()
    {
        var failure = Assert.ThrowsAsync<TraceTestException>(() => TraceTest.RunAsync(async t =>
        {
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            try
            {
                await t.ExpectAsync("default", new Other("w"));
            }
            finally
            {
                JoinQuietly(w);
            }
        }))!;
        Assert.That(failure.Failures[0].Message, Does.StartWith("default: expect Other: got Step"));
    }

    [Test]
    public async Task ACanceledWaitEndsWithoutFailingTheTest()
    {
        await TraceTest.RunAsync(async t =>
        {
            using var cancel = new CancellationTokenSource();
            var waiting = t.ExpectAsync("default", new Step("w", 1), cancel.Token);
            cancel.Cancel();
            Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
            // The stream is still usable after the canceled wait.
            var w = Spawn(() => t.RxEvent(new Step("w", 1)));
            await t.ExpectAsync("default", new Step("w", 1));
            await w;
        });
    }

    [Test]
    public async Task TwoChecksAtOnceThrow()
    {
        await TraceTest.RunAsync(async t =>
        {
            t.SetEventRouter(ByThread);
            var first = t.ExpectAsync("a", new Step("a", 1));
            var e = Assert.Throws<InvalidOperationException>(() => t.Expect("b", new Step("b", 1)))!;
            Assert.That(e.Message, Is.EqualTo(
                "T.Expect(\"b\"): the test is already waiting for stream \"a\". The checks of a run form one " +
                "sequential process: await each async check before starting the next."));
            var w = Spawn(() => t.RxEvent(new Step("a", 1)));
            await first;
            await w;
        });
    }
}
