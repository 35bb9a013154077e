using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Tracing.Testing.Internal;

namespace Tracing.Testing;

// How events travel from senders to the checker, and how a run ends.
//
// Concurrency: one gate (_gate) guards all mutable state of the run and of its streams and
// messages. Both sides block in Monitor.Wait on the gate: a sender until its message is
// received, acknowledged or rejected; a synchronous check until its Waiter is completed. Every
// such change is made under the gate and followed by PulseAll. An async check awaits its
// Waiter's task instead, completed under the gate with continuations run asynchronously. No user
// code (router, Output, test body) runs under the gate.
public sealed partial class T
{
    readonly object _gate = new();
    readonly Action<string>? _output;
    readonly object _outputGate = new(); // serializes Output: the checker and T.Log may write at once
    readonly bool _logEvents;
    readonly DelayInjection? _delay;
    readonly Dictionary<string, EventStream> _streams = new(StringComparer.Ordinal);
    readonly List<TraceRecord> _trace = new();          // every event that reached its stream, in that order
    readonly List<TraceTestFailure> _failures = new();
    readonly List<Message> _held = new();               // received by the checker, not yet acknowledged
    readonly List<Message> _leftovers = new();          // queued or abandoned by a deadlocked sender when the run was released
    readonly ManualResetEventSlim _released = new();    // set once the run is released: cuts injected delays short
    Func<object, string?>? _router;
    Waiter? _waiter;          // the checker's wait in progress, if any
    string? _releaseReason;   // non-null once released: no event is accepted any more
    bool _ended;              // the run is over: the API refuses to be used
    long _lastActivity;       // Stopwatch ticks of the checker's last wait, receive or ack
    int _senders;             // threads inside RxEvent
    Thread? _bodyThread;      // the thread running a synchronous body

    // Threads inside RxEvent of any run. Tests of the harness check it is 0 after every test.
    static int s_senders;

    internal T(TraceTestOptions options, DelayInjection? delay, string? caseName)
    {
        Deadline = options.Deadline;
        _output = options.Output;
        _logEvents = options.LogEvents;
        _delay = delay;
        CaseName = caseName;
    }

    internal static int SendersInside => Volatile.Read(ref s_senders);

    internal bool Failed
    {
        get { lock (_gate) return _failures.Count > 0; }
    }

    internal IReadOnlyList<TraceTestFailure> Failures
    {
        get { lock (_gate) return _failures.ToList(); }
    }

    internal IReadOnlyList<TraceRecord> Trace
    {
        get { lock (_gate) return _trace.ToList(); }
    }

    internal string? ShutdownReport { get; private set; }

    // For the harness's own tests: how many events wait on stream to be received.
    internal int Queued(string stream)
    {
        lock (_gate) return _streams.TryGetValue(stream, out var eventStream) ? eventStream.Queue.Count : 0;
    }

    internal Thread? BodyThread
    {
        set { lock (_gate) _bodyThread = value; }
    }

    // Under the gate.
    void EnterSender()
    {
        _senders++;
        Interlocked.Increment(ref s_senders);
    }

    // Under the gate.
    void ExitSender()
    {
        _senders--;
        Interlocked.Decrement(ref s_senders);
        if (_senders == 0) Monitor.PulseAll(_gate); // End waits for the last sender to leave
    }

    string Route(Func<object, string?>? router, object traceEvent)
    {
        if (router is null) return DefaultStream;
        string? stream;
        try
        {
            stream = router(traceEvent); // user code: outside the gate
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                FailAndRelease($"the event router threw {e.GetType().Name} for {Values.Describe(traceEvent)}: {e.Message}", e);
            }
            throw;
        }
        return string.IsNullOrEmpty(stream) ? DefaultStream : stream!;
    }

    void Send(string stream, object traceEvent)
    {
        TimeSpan delay;
        lock (_gate)
        {
            ThrowIfReleased(stream, traceEvent);
            var routed = StreamOf(stream).Routed++;
            delay = _delay is { } d && d.Stream == stream && d.Index == routed ? d.Delay : TimeSpan.Zero;
        }

        // Verify's injected delay: the event reaches its stream later, as if its thread had been
        // slower to get there. A release (failure or end of the run) cuts it short.
        if (delay > TimeSpan.Zero) _released.Wait(delay);

        lock (_gate)
        {
            ThrowIfReleased(stream, traceEvent);
            var message = new Message(stream, traceEvent);
            _trace.Add(new TraceRecord(Stopwatch.GetTimestamp(), stream, traceEvent));
            var eventStream = _streams[stream];
            if (_waiter is { } waiter && waiter.Stream == stream)
            {
                _waiter = null;
                Hold(message);            // pulses the gate: wakes a synchronous checker
                waiter.Complete(message); // an async checker continues on another thread, outside the gate
            }
            else
            {
                eventStream.Queue.AddLast(message);
            }

            // Wait to be received. It is a deadlock when the checker has done nothing for Deadline
            // (go123: "no events activity"). While the checker waits on a stream, its own
            // deadline reports the deadlock, naming that stream, so this sender keeps waiting.
            var sent = Stopwatch.GetTimestamp();
            while (message.State == MessageState.Queued)
            {
                var left = Math.Max(sent, _lastActivity) + Ticks(Deadline) - Stopwatch.GetTimestamp();
                if (left <= 0 && _waiter is not null) left = Ticks(Deadline);
                if (left <= 0)
                {
                    eventStream.Queue.Remove(message);
                    message.Reject($"deadlock: the test did not receive it, and checked nothing for {Seconds(Deadline)}");
                    _leftovers.Add(message);
                    FailAndRelease(
                        $"{stream}: send: deadlock: {Values.DescribeWithType(traceEvent)} waits on stream \"{stream}\", " +
                        $"and the test has checked nothing for {Seconds(Deadline)}", null);
                    break;
                }
                Monitor.Wait(_gate, Timeout(left));
            }

            // Received: the checker is looking at it. Ack, a failure or the end of the run moves it on.
            while (message.State == MessageState.Received) Monitor.Wait(_gate);

            if (message.State != MessageState.Acked)
                throw new EventRejectedException(stream, traceEvent, message.RejectReason!, this);
        }
    }

    // The checker's side: the next event on stream, or null if none came within timeout.
    Message? Next(string stream, TimeSpan timeout, string operation)
    {
        lock (_gate)
        {
            if (Begin(stream, timeout, operation, async: false, out var waiter) is { } message) return message;
            if (waiter is null) return null;
            var deadline = Stopwatch.GetTimestamp() + Ticks(timeout);
            while (!waiter.Done)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0)
                {
                    _waiter = null;
                    _lastActivity = Stopwatch.GetTimestamp(); // see Abandon
                    waiter.Complete(null);
                    break;
                }
                Monitor.Wait(_gate, Timeout(left)); // a sender or a release completes the waiter and pulses
            }
            if (waiter.Result is { } received) return received;
            ThrowIfFailed(stream); // released by a failure while waiting
            return null;           // the time is up
        }
    }

    // Next for async checks: waits without holding a thread.
    async Task<Message?> NextAsync(string stream, TimeSpan timeout, string operation, CancellationToken cancellationToken)
    {
        Waiter? waiter;
        lock (_gate)
        {
            if (Begin(stream, timeout, operation, async: true, out waiter) is { } message) return message;
            if (waiter is null) return null;
        }

        using (var timer = timeout.TotalMilliseconds < int.MaxValue ? new CancellationTokenSource(timeout) : new CancellationTokenSource())
        using (timer.Token.Register(() => Abandon(waiter, CancellationToken.None)))
        using (cancellationToken.Register(() => Abandon(waiter, cancellationToken)))
        {
            var message = await waiter.Completion!.Task.ConfigureAwait(false);
            if (message is not null) return message;
        }
        lock (_gate) ThrowIfFailed(stream); // released by a failure while waiting
        return null;                        // the time is up
    }

    // Under the gate: the event waiting on stream if there is one; otherwise, unless timeout is
    // zero, registers the checker's waiter.
    Message? Begin(string stream, TimeSpan timeout, string operation, bool async, out Waiter? waiter)
    {
        waiter = null;
        ThrowIfEnded(operation);
        ThrowIfFailed(stream);
        if (_waiter is { } other)
        {
            throw new InvalidOperationException(
                $"{operation}(\"{stream}\"): the test is already waiting for stream \"{other.Stream}\". The " +
                "checks of a run form one sequential process: await each async check before starting the next.");
        }
        var eventStream = StreamOf(stream);
        if (eventStream.Queue.First is { } first)
        {
            eventStream.Queue.RemoveFirst();
            Hold(first.Value);
            return first.Value;
        }
        if (timeout <= TimeSpan.Zero) return null;
        waiter = new Waiter(stream, async);
        _waiter = waiter;
        _lastActivity = Stopwatch.GetTimestamp();
        return null;
    }

    // A timer or a cancellation ends an async wait, unless an event got there first.
    void Abandon(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_waiter != waiter) return;
            _waiter = null;
            // The checker's time is up and it is about to report that (or to go on): that is
            // activity. Without it a sender blocked as long would see no waiter and no activity,
            // and report its own deadlock in the moment before the checker's failure is recorded.
            _lastActivity = Stopwatch.GetTimestamp();
            if (cancellationToken.IsCancellationRequested) waiter.Cancel(cancellationToken);
            else waiter.Complete(null);
        }
    }

    // Under the gate: the checker takes message; its sender waits for Ack.
    void Hold(Message message)
    {
        message.State = MessageState.Received;
        _held.Add(message);
        _lastActivity = Stopwatch.GetTimestamp();
        Monitor.PulseAll(_gate);
    }

    void Check(string stream, object expected, Message? message)
    {
        var received = Received(stream, message, expected);
        var have = received.Event;
        if (have.GetType() != expected.GetType())
        {
            var (wantType, haveType) = Values.TypeNames(expected.GetType(), have.GetType());
            throw Reject(message!, $"unexpected event type: the test expected {wantType}",
                $"{stream}: expect {wantType}: got {haveType}\n" +
                $"  want: {Values.Describe(expected)}\n" +
                $"  have: {Values.Describe(have)}");
        }
        if (!Values.AreEqual(expected, have))
        {
            var diff = string.Join("\n", Values.Diff(expected, have).Select(line => "    " + line));
            throw Reject(message!, $"unexpected event value: the test expected {Values.Describe(expected)}",
                $"{stream}: expect {Values.TypeName(expected.GetType())}: value differs\n" +
                $"  want: {Values.Describe(expected)}\n" +
                $"  have: {Values.Describe(have)}\n" +
                $"  diff (-want +have):\n{diff}");
        }
        received.Ack();
    }

    void CheckNone(string stream, Message? message)
    {
        if (message is null) return;
        if (_logEvents) WriteOutput($"{stream} <- {Values.Describe(message.Event)}");
        throw Reject(message, "unexpected event: the test expected none on this stream",
            $"{stream}: expect none: got {Values.DescribeWithType(message.Event)}");
    }

    ReceivedEvent Received(string stream, Message? message, object? expected)
    {
        if (message is null)
        {
            var what = expected is null ? "an event" : $"{Values.TypeName(expected.GetType())}";
            var text = $"{stream}: recv: deadlock waiting for {what}: no event came on stream \"{stream}\" within {Seconds(Deadline)}";
            if (expected is not null) text += $"\n  want: {Values.Describe(expected)}";
            TraceTestFailure failure;
            lock (_gate)
            {
                text += WhyNothingCame(stream);
                failure = FailAndRelease(text, null);
            }
            throw new TraceTestException(new[] { failure }, source: this);
        }
        if (_logEvents) WriteOutput($"{stream} <- {Values.Describe(message.Event)}");
        return new ReceivedEvent(this, message);
    }

    // Under the gate. What the run knows of where the awaited events went: waiting on other
    // streams (a router that sends them elsewhere), or nowhere at all (no probe attached).
    string WhyNothingCame(string stream)
    {
        var elsewhere = _streams.Values.Where(s => s.Name != stream).SelectMany(s => s.Queue.Select(m => (s.Name, m.Event))).ToList();
        if (elsewhere.Count > 0)
        {
            return "\n  meanwhile these wait on other streams (check the order of the checks, or the router):" +
                   string.Concat(elsewhere.Take(5).Select(e => $"\n    {e.Name} <- {Values.DescribeWithType(e.Event)}"));
        }
        if (_trace.Count == 0)
            return "\n  no event has reached any stream of this test: are the probes attached (t.Probes) to the events the code fires?";
        return "";
    }

    // The checker refuses message: its sender throws, the test fails and every other sender is
    // released. Returns the exception that ends the test body.
    Exception Reject(Message message, string reason, string failureText)
    {
        TraceTestFailure failure;
        lock (_gate)
        {
            if (message.State == MessageState.Received)
            {
                message.Reject(reason);
                _held.Remove(message);
            }
            failure = FailAndRelease(failureText, null);
        }
        return new TraceTestException(new[] { failure }, source: this);
    }

    internal void Ack(Message message, string operation)
    {
        lock (_gate)
        {
            switch (message.State)
            {
                case MessageState.Received:
                    message.State = MessageState.Acked;
                    _held.Remove(message);
                    _lastActivity = Stopwatch.GetTimestamp();
                    Monitor.PulseAll(_gate);
                    break;
                case MessageState.Acked:
                    throw new InvalidOperationException(
                        $"{operation}: {message.Stream} <- {Values.Describe(message.Event)} was acknowledged already; acknowledge each event once.");
                default:
                    break; // released by a failure or the end of the run: its sender has gone on with an error
            }
        }
    }

    // Under the gate.
    TraceTestFailure FailAndRelease(string text, Exception? exception)
    {
        var failure = new TraceTestFailure(CaseName, text, exception);
        _failures.Add(failure);
        Release("canceled: the test failed");
        return failure;
    }

    // Under the gate: from now on no event is accepted. Every queued or held event is rejected
    // with reason (its sender throws), the checker's wait ends, and injected delays are cut short.
    void Release(string reason, string? heldReason = null)
    {
        if (_releaseReason is not null) return;
        _releaseReason = reason;
        foreach (var eventStream in _streams.Values)
        {
            foreach (var message in eventStream.Queue)
            {
                message.Reject(reason);
                _leftovers.Add(message);
            }
            eventStream.Queue.Clear();
        }
        foreach (var message in _held) message.Reject(heldReason ?? reason);
        if (_waiter is { } waiter)
        {
            _waiter = null;
            waiter.Complete(null);
        }
        _released.Set();
        Monitor.PulseAll(_gate);
    }

    internal void BodyThrew(Exception exception)
    {
        if (IsConsequence(exception)) return;
        lock (_gate)
        {
            FailAndRelease($"the test body threw {exception.GetType().FullName}: {exception.Message}", exception);
        }
    }

    // Whether an exception the body threw only carries a failure this run has recorded already.
    bool IsConsequence(Exception exception) => exception switch
    {
        TraceTestException e => e.Origin == this,
        EventRejectedException e => e.Origin == this && Failed,
        AggregateException e => e.Flatten().InnerExceptions.All(IsConsequence),
        _ => false,
    };

    /// <summary>
    /// Ends the run: releases every sender still waiting (an event sent but never checked fails
    /// the test), detaches <see cref="Probes"/>, waits for the dispatches that may still run one
    /// of its probes, and waits for every sender to leave RxEvent.
    /// </summary>
    internal void End()
    {
        bool failedBefore;
        List<Message> unacknowledged;
        lock (_gate)
        {
            failedBefore = _failures.Count > 0;
            unacknowledged = _held.ToList();
            if (failedBefore) Release("canceled: the test failed");
            else Release("the test ended without checking this event", "the test ended without acknowledging this event");
        }

        try
        {
            Probes.Done();
        }
        catch (InvalidOperationException e)
        {
            lock (_gate) _failures.Add(new TraceTestFailure(CaseName, $"detaching t.Probes failed: {e.Message}", e));
        }
        WaitForDispatches();

        lock (_gate)
        {
            // Released senders leave at once; wait for them, so that no thread of this run is still
            // inside RxEvent when Run returns. Only a router that does not return can hold one up.
            var deadline = Stopwatch.GetTimestamp() + Ticks(Deadline);
            while (_senders > 0)
            {
                var left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0)
                {
                    _failures.Add(new TraceTestFailure(CaseName,
                        $"{_senders} thread(s) still inside T.RxEvent {Seconds(Deadline)} after the test ended (is the event router blocked?)", null));
                    break;
                }
                Monitor.Wait(_gate, Timeout(left));
            }
            // Counted now, not at the release: an event that a dispatch still running delivered
            // after the release (a second probe of t.Probes reached after the body returned) is
            // a leftover too, and fails the run like one that was queued.
            var shutdown = ShutdownListing();
            if (!failedBefore && _leftovers.Count > 0)
            {
                _failures.Add(new TraceTestFailure(CaseName,
                    $"events sent but never checked ({_leftovers.Count}):\n" +
                    string.Join("\n", _leftovers.Select(m => $"  {m.Stream} <- {Values.DescribeWithType(m.Event)}")), null));
            }
            if (!failedBefore && unacknowledged.Count > 0)
            {
                _failures.Add(new TraceTestFailure(CaseName,
                    $"events received but never acknowledged ({unacknowledged.Count}); call Ack() on each ReceivedEvent:\n" +
                    string.Join("\n", unacknowledged.Select(m => $"  {m.Stream} <- {Values.DescribeWithType(m.Event)}")), null));
            }
            _ended = true; // after WaitForDispatches: no probe of t.Probes reaches RxEvent from here on
            ShutdownReport = _failures.Count > 0 ? shutdown : null;
        }
    }

    // Waits until no dispatch runs a probe of t.Probes any more (Trace.Synchronize after Done), so
    // that every event they deliver arrives while the run is released, not after it ended. It
    // runs on a pool thread so that the wait is bounded: a probe that does not return within
    // Deadline fails the run instead of hanging it.
    void WaitForDispatches()
    {
        var synchronize = Task.Run(global::Tracing.Trace.Synchronize);
        string? failure = null;
        Exception? error = null;
        try
        {
            if (!synchronize.Wait(Deadline))
                failure = $"a dispatch of an event was still running {Seconds(Deadline)} after the test ended (a probe that does not " +
                    "return, or the end of an async test body run inside a probe), so the run could not wait for the probes of t.Probes to finish";
        }
        catch (AggregateException e)
        {
            error = e.InnerException;
            failure = $"waiting for the probes of t.Probes to finish failed: {error?.Message}";
        }
        if (failure is not null) lock (_gate) _failures.Add(new TraceTestFailure(CaseName, failure, error));
    }

    // Under the gate: go123's "test shutdown" listing of the streams and their leftover events.
    string ShutdownListing()
    {
        var text = new StringBuilder();
        text.Append($"test shutdown: {Count(_streams.Count, "stream")}, {Count(_leftovers.Count, "pending event")}");
        foreach (var name in _streams.Keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            var pending = _leftovers.Where(m => m.Stream == name).ToList();
            if (pending.Count == 0) text.Append("\n  # ").Append(name);
            foreach (var m in pending) text.Append("\n  ").Append(name).Append(" <- ").Append(Values.DescribeWithType(m.Event));
        }
        return text.ToString();
    }

    // Under the gate.
    EventStream StreamOf(string stream)
    {
        if (!_streams.TryGetValue(stream, out var eventStream))
        {
            eventStream = new EventStream(stream);
            _streams.Add(stream, eventStream);
        }
        return eventStream;
    }

    // Under the gate.
    void ThrowIfReleased(string stream, object traceEvent)
    {
        if (_releaseReason is not { } reason) return;
        // Sent after the release: never checked either. End lists it, and it fails a run that had
        // not failed already.
        var message = new Message(stream, traceEvent);
        message.Reject(reason);
        _leftovers.Add(message);
        throw new EventRejectedException(stream, traceEvent, reason, this);
    }

    // Under the gate: once the test has failed, every further check fails at once (go123's
    // "recv: canceled (test failed)"), so that a body that catches the failure does not hang.
    void ThrowIfFailed(string stream)
    {
        if (_failures.Count == 0) return;
        var first = _failures[0];
        throw new TraceTestException(
            new[] { new TraceTestFailure(CaseName, $"{stream}: recv: canceled: the test failed: {first.Message}", null) },
            source: this);
    }

    // Under the gate.
    void ThrowIfEnded(string operation)
    {
        if (_ended)
        {
            throw new InvalidOperationException(
                $"{operation}: this T belongs to a test run that has ended. Use the T passed to the test body, only inside it.");
        }
    }

    void WriteOutput(string text)
    {
        if (_output is null) return;
        lock (_outputGate) _output(text);
    }

    static void CheckStream(string stream)
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        if (stream.Length == 0) throw new ArgumentException("A stream is named by a non-empty string.", nameof(stream));
    }

    static void CheckArguments(string stream, object expected)
    {
        CheckStream(stream);
        if (expected is null) throw new ArgumentNullException(nameof(expected), "An event is never null: pass the event expected next.");
    }

    static long Ticks(TimeSpan time) => (long)Math.Min(time.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);

    static int Timeout(long ticks) => (int)Math.Min(int.MaxValue, Math.Ceiling(ticks * 1000.0 / Stopwatch.Frequency));

    internal static string Seconds(TimeSpan time) =>
        time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
