using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;

namespace Tracing.Testing.Tests;

// Events of the harness tests: records compare and print by value.
public sealed record Step(string Thread, int N);
public sealed record Other(string Thread);

/// <summary>
/// Base of every fixture: after each test no thread may be left inside T.RxEvent, so no test
/// leaves a thread blocked for the next one.
/// </summary>
public abstract class HarnessTest
{
    /// <summary>Generous bound for joining workers: reached only if the harness left one blocked.</summary>
    protected static readonly TimeSpan JoinBound = TimeSpan.FromSeconds(10);

    /// <summary>A short deadline for tests where a side waits for something that never comes.</summary>
    protected static readonly TraceTestOptions ShortDeadline = new() { Deadline = TimeSpan.FromMilliseconds(500) };

    [TearDown]
    public void NoThreadIsLeftInsideRxEvent() =>
        Assert.That(T.SendersInside, Is.Zero, "a thread is still blocked in T.RxEvent after the test");

    /// <summary>Runs worker on a thread of its own, as code under test would.</summary>
    protected static Task Spawn(Action worker) =>
        Task.Factory.StartNew(worker, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Waits for workers, bounded; their exceptions propagate (as an AggregateException).</summary>
    protected static void Join(params Task[] workers)
    {
        if (!Task.WaitAll(workers, JoinBound)) throw new TimeoutException("a worker is still running: the harness left it blocked");
    }

    /// <summary>Waits for workers that are expected to fail, bounded, without throwing.</summary>
    protected static void JoinQuietly(params Task[] workers)
    {
        try
        {
            Join(workers);
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>Routes <see cref="Step"/> and <see cref="Other"/> by their thread.</summary>
    protected static string ByThread(object e) => e switch
    {
        Step s => s.Thread,
        Other o => o.Thread,
        _ => throw new ArgumentException($"unexpected event {e}"),
    };

    /// <summary>The exception a worker ended with, once it has ended.</summary>
    protected static Exception? FaultOf(Task worker)
    {
        JoinQuietly(worker);
        Assert.That(worker.IsCompleted, Is.True, "the worker is still running: the harness left it blocked");
        return worker.Exception?.Flatten().InnerExceptions.Single();
    }

    /// <summary>Runs the test and returns how it failed; fails if it did not.</summary>
    protected static TraceTestException RunFails(Action<T> test, TraceTestOptions? options = null) =>
        Assert.Throws<TraceTestException>(() => TraceTest.Run(test, options))!;

    /// <summary>Waits until an event is queued on stream (the harness's own hook), bounded.</summary>
    protected static void WaitQueued(T t, string stream) =>
        Assert.That(SpinWait.SpinUntil(() => t.Queued(stream) > 0, JoinBound), Is.True, $"nothing was queued on {stream}");

    protected static List<string> Lines(IEnumerable<string> output) =>
        output.SelectMany(o => o.Split('\n')).ToList();
}
