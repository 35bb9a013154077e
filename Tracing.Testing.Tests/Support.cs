using System;
using System.Collections.Generic;
using System.Linq;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using NUnit.Framework;
using Tracing.Testing.Internal;

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

    /// <summary>
    /// For tests of Verify with two unsynchronized senders on one stream: called by the second
    /// sender before it starts, picks an interleaving with events, not sleeps. It waits until the
    /// first sender's <paramref name="count"/> events have reached <paramref name="stream"/>, so
    /// the first run sees them first. In a rerun that delays one of those events, it waits only
    /// until the harness holds that event back, so the second sender overtakes it: each run takes
    /// an interleaving the two threads can take, and the test does not depend on a head start.
    /// </summary>
    protected static void WaitForTheFirstSender(T t, string stream, int count)
    {
        var delayed = DelayedIndex(t.CaseName, stream);
        bool Ready() =>
            t.Trace.Count(r => r.Stream == stream) >= count ||
            (delayed < count && Routed(t, stream) > delayed); // the delayed event is held back
        if (!BusyWait(Ready)) throw new TimeoutException($"the first sender's events on {stream} never came");
        // Not an ordering (that is settled above): Verify delays an event by 10 times the longest
        // gap of the first run, and overtaking it takes the second sender a moment that a busy
        // machine can stretch. A wide gap in the first run makes that delay wide (about 1 s).
        if (t.CaseName is null) Thread.Sleep(FirstRunGap);
    }

    static readonly TimeSpan FirstRunGap = TimeSpan.FromMilliseconds(100);

    // Which event of stream a Verify rerun delays: its case is named delay@i(=stream:n).
    static int DelayedIndex(string? caseName, string stream)
    {
        var match = caseName is null ? null : Regex.Match(caseName, @"^delay@\d+\(=(?<stream>.+):(?<n>\d+)\)$");
        return match is { Success: true } && match.Groups["stream"].Value == stream ? int.Parse(match.Groups["n"].Value) : int.MaxValue;
    }

    // The harness's count of events routed to stream (private to T; read under its gate, as T does).
    static int Routed(T t, string stream)
    {
        const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Instance;
        var gate = typeof(T).GetField("_gate", Private)!.GetValue(t)!;
        var streams = (Dictionary<string, EventStream>)typeof(T).GetField("_streams", Private)!.GetValue(t)!;
        lock (gate) return streams.TryGetValue(stream, out var eventStream) ? eventStream.Routed : 0;
    }

    /// <summary>
    /// Spins until <paramref name="condition"/> holds, bounded by <see cref="JoinBound"/>. It does
    /// not sleep, so the waiting thread goes on as soon as the condition holds.
    /// </summary>
    protected static bool BusyWait(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 1; !condition(); i++)
        {
            if ((i & 255) == 0)
            {
                if (clock.Elapsed > JoinBound) return false;
                Thread.Yield();
            }
            Thread.SpinWait(4);
        }
        return true;
    }

    protected static List<string> Lines(IEnumerable<string> output) =>
        output.SelectMany(o => o.Split('\n')).ToList();
}
