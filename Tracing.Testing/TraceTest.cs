using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Tracing.Testing.Internal;

namespace Tracing.Testing;

/// <summary>
/// Runs synchronous-tracing tests (go123's <c>tracetest.Run</c> and <c>tracetest.Verify</c>).
/// Independent of any test framework: a failed test throws <see cref="TraceTestException"/>.
/// </summary>
/// <example>
/// <code>
/// TraceTest.Verify(t =>
/// {
///     Trace.Setup(() =>
///     {
///         Trace.Attach(t.Probes, Greeter.TraceHi, who => t.RxEvent(new Hi(who)));
///         Trace.Attach(t.Probes, Greeter.TraceHello, who => t.RxEvent(new Hello(who)));
///     });
///     t.SetEventRouter(e => ThreadOf(e)); // "T1·A" goes to stream "t1"
///     var t1 = Task.Run(() => { Greeter.Hi("T1·A"); Greeter.Hello("T1·B"); });
///     var t2 = Task.Run(() => { Greeter.Hello("T2·C"); Greeter.Hi("T2·D"); });
///     t.Expect("t2", new Hello("T2·C"));
///     t.Expect("t1", new Hi("T1·A"));
///     t.Expect("t2", new Hi("T2·D"));
///     t.Expect("t1", new Hello("T1·B"));
///     Task.WaitAll(t1, t2);
/// });
/// </code>
/// </example>
public static class TraceTest
{
    /// <summary>The least delay <see cref="Verify"/> injects.</summary>
    public static readonly TimeSpan MinimumInjectedDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Runs <paramref name="test"/> once, on the calling thread, with a new <see cref="T"/>.
    /// </summary>
    /// <param name="test">The test body: attaches probes that deliver to <c>t.RxEvent</c>, starts the system, checks its events.</param>
    /// <param name="options">Deadline and output; null for the defaults.</param>
    /// <remarks>
    /// When the body returns or throws, every thread still waiting in <see cref="T.RxEvent"/> is
    /// released with <see cref="EventRejectedException"/>, <see cref="T.Probes"/> is detached,
    /// Run waits for the dispatches still running its probes (<c>Trace.Synchronize</c>, bounded by
    /// the deadline) and for the released threads to leave RxEvent. An event sent but never
    /// checked, also one delivered by such a dispatch after the body returned, fails the test.
    /// Run does not look for races; <see cref="Verify"/> does.
    /// </remarks>
    /// <exception cref="TraceTestException">The test failed; <see cref="TraceTestException.Failures"/> says how.</exception>
    public static void Run(Action<T> test, TraceTestOptions? options = null)
    {
        if (test is null) throw new ArgumentNullException(nameof(test));
        RunCoreAsync(Synchronous(test), Copy(options)).GetAwaiter().GetResult(); // completes synchronously: the body is synchronous
    }

    /// <summary><see cref="Run"/> for an async test body.</summary>
    /// <param name="test">The test body.</param>
    /// <param name="options">Deadline and output; null for the defaults.</param>
    /// <exception cref="TraceTestException">The test failed.</exception>
    public static Task RunAsync(Func<T, Task> test, TraceTestOptions? options = null)
    {
        if (test is null) throw new ArgumentNullException(nameof(test));
        return RunCoreAsync(test, Copy(options));
    }

    /// <summary>
    /// Runs <paramref name="test"/> once, then once more for each event it saw with that event
    /// delayed, and fails if any run fails or routes events differently from the first: this
    /// finds events routed to one stream that are in fact concurrent.
    /// </summary>
    /// <param name="test">The test body; it must behave the same on every run.</param>
    /// <param name="options">Deadline and output; null for the defaults.</param>
    /// <remarks>
    /// <para>
    /// The first run records when each event reached its stream. If it passes and saw at least two
    /// events, Verify reruns the body once per event <c>i</c>, delaying the delivery of that event
    /// (the <c>n</c>-th on its stream) by the larger of 10 times the longest gap between two
    /// consecutive events of the first run and <see cref="MinimumInjectedDelay"/>, but at most half
    /// the deadline, so that the delay itself never looks like a deadlock. If two events on one
    /// stream are really concurrent, delaying the first lets the second overtake it, and the
    /// test's <see cref="T.Expect"/> sees them out of order.
    /// </para>
    /// <para>
    /// Each rerun is its own case, named <c>delay@i(=stream:n)</c> as in go123: its failures carry
    /// that name (<see cref="TraceTestFailure.Case"/>), and <see cref="TraceTestOptions.Output"/>
    /// gets <c>=== RUN</c> and <c>--- PASS</c>/<c>--- FAIL</c> lines for it. A rerun passes when it
    /// does not fail and every stream received the same events in the same order as in the first
    /// run. All reruns run; the exception lists every failing one. If the first run fails, there
    /// are no reruns.
    /// </para>
    /// </remarks>
    /// <exception cref="TraceTestException">A run failed or saw different streams.</exception>
    public static void Verify(Action<T> test, TraceTestOptions? options = null)
    {
        if (test is null) throw new ArgumentNullException(nameof(test));
        VerifyCoreAsync(Synchronous(test), Copy(options)).GetAwaiter().GetResult(); // completes synchronously, as Run
    }

    /// <summary><see cref="Verify"/> for an async test body.</summary>
    /// <param name="test">The test body; it must behave the same on every run.</param>
    /// <param name="options">Deadline and output; null for the defaults.</param>
    /// <exception cref="TraceTestException">A run failed or saw different streams.</exception>
    public static Task VerifyAsync(Func<T, Task> test, TraceTestOptions? options = null)
    {
        if (test is null) throw new ArgumentNullException(nameof(test));
        return VerifyCoreAsync(test, Copy(options));
    }

    static TraceTestOptions Copy(TraceTestOptions? options) => options?.Clone() ?? new TraceTestOptions();

    // A synchronous body runs on the caller's thread, which RxEvent then refuses to block.
    static Func<T, Task> Synchronous(Action<T> test) => t =>
    {
        t.BodyThread = Thread.CurrentThread;
        try
        {
            test(t);
        }
        finally
        {
            t.BodyThread = null;
        }
        return Task.CompletedTask;
    };

    static async Task RunCoreAsync(Func<T, Task> test, TraceTestOptions options)
    {
        var t = await RunOnceAsync(test, options, null, null).ConfigureAwait(false);
        var failures = t.Failures;
        if (failures.Count == 0) return;
        if (t.ShutdownReport is { } shutdown) Write(options, shutdown);
        throw new TraceTestException(failures, t.ShutdownReport);
    }

    static async Task<T> RunOnceAsync(Func<T, Task> test, TraceTestOptions options, DelayInjection? delay, string? caseName)
    {
        var t = new T(options, delay, caseName);
        try
        {
            await test(t).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            t.BodyThrew(e);
        }
        t.End();
        return t;
    }

    static async Task VerifyCoreAsync(Func<T, Task> test, TraceTestOptions options)
    {
        var first = await RunOnceAsync(test, options, null, null).ConfigureAwait(false);
        if (first.Failed)
        {
            if (first.ShutdownReport is { } shutdown) Write(options, shutdown);
            throw new TraceTestException(first.Failures, first.ShutdownReport);
        }

        var trace0 = first.Trace.OrderBy(r => r.Timestamp).ToList(); // already in this order: recorded under the gate
        if (trace0.Count < 2) return;
        var delay = InjectedDelay(trace0, options.Deadline);
        var streams0 = StreamsOf(trace0);

        var failures = new List<TraceTestFailure>();
        for (var i = 0; i < trace0.Count; i++)
        {
            var stream = trace0[i].Stream;
            var n = trace0.Take(i).Count(r => r.Stream == stream);
            var name = $"delay@{i}(={stream}:{n})";
            Write(options, $"=== RUN {name}: {stream} <- {Values.DescribeWithType(trace0[i].Event)} delayed by {T.Seconds(delay)}");

            var t = await RunOnceAsync(test, options, new DelayInjection(stream, n, delay), name).ConfigureAwait(false);
            var caseFailures = t.Failures.ToList();
            if (caseFailures.Count == 0 && CompareStreams(streams0, StreamsOf(t.Trace)) is { } difference)
                caseFailures.Add(new TraceTestFailure(name, difference, null));

            var details = caseFailures.Select(f => f.Message).Concat(t.ShutdownReport is { } shutdown ? new[] { shutdown } : Array.Empty<string>());
            Write(options, caseFailures.Count == 0
                ? $"--- PASS {name}"
                : $"--- FAIL {name}\n" + string.Join("\n", details.Select(Indent)));
            failures.AddRange(caseFailures);
        }
        if (failures.Count > 0) throw new TraceTestException(failures);
    }

    static TimeSpan InjectedDelay(List<TraceRecord> trace, TimeSpan deadline)
    {
        long maxGap = 0;
        for (var i = 1; i < trace.Count; i++) maxGap = Math.Max(maxGap, trace[i].Timestamp - trace[i - 1].Timestamp);
        var delay = TimeSpan.FromSeconds(10.0 * maxGap / Stopwatch.Frequency);
        if (delay < MinimumInjectedDelay) delay = MinimumInjectedDelay;
        // A delay as long as the deadline would make the delayed event look like a deadlock.
        var cap = TimeSpan.FromTicks(deadline.Ticks / 2);
        return delay < cap ? delay : cap;
    }

    static SortedDictionary<string, List<object>> StreamsOf(IEnumerable<TraceRecord> trace)
    {
        var streams = new SortedDictionary<string, List<object>>(StringComparer.Ordinal);
        foreach (var record in trace)
        {
            if (!streams.TryGetValue(record.Stream, out var events)) streams.Add(record.Stream, events = new List<object>());
            events.Add(record.Event);
        }
        return streams;
    }

    // Null when every stream got the same events in the same order; otherwise what differs.
    static string? CompareStreams(SortedDictionary<string, List<object>> first, SortedDictionary<string, List<object>> now)
    {
        var lines = new List<string>();
        foreach (var name in first.Keys.Union(now.Keys).OrderBy(s => s, StringComparer.Ordinal))
        {
            first.TryGetValue(name, out var a);
            now.TryGetValue(name, out var b);
            if (a is null) { lines.Add($"stream \"{name}\" is new: {Show(b!)}"); continue; }
            if (b is null) { lines.Add($"stream \"{name}\" got no event (first run: {Show(a)})"); continue; }
            for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
            {
                if (i < a.Count && i < b.Count && Values.AreEqual(a[i], b[i])) continue;
                var was = i < a.Count ? Values.DescribeWithType(a[i]) : "nothing";
                var got = i < b.Count ? Values.DescribeWithType(b[i]) : "nothing";
                lines.Add($"stream \"{name}\" event #{i}: first run {was}, now {got}");
                break;
            }
        }
        if (lines.Count == 0) return null;
        return "streams are not the same as in the first run (are events on one stream concurrent?):\n" +
               string.Join("\n", lines.Select(l => "  " + l)) +
               $"\n  first run: {ShowAll(first)}\n  now:       {ShowAll(now)}";
    }

    static string Show(List<object> events) => "[" + string.Join(", ", events.Select(Values.Describe)) + "]";

    static string ShowAll(SortedDictionary<string, List<object>> streams) =>
        string.Join("; ", streams.Select(s => $"{s.Key}: {Show(s.Value)}"));

    static string Indent(string text) => "    " + text.Replace("\n", "\n    ");

    static void Write(TraceTestOptions options, string text) => options.Output?.Invoke(text);
}
