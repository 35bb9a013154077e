using System;
using System.Threading;
using System.Threading.Tasks;
using Tracing.Testing.Internal;

namespace Tracing.Testing;

/// <summary>
/// The environment of one run of a synchronous-tracing test (go123's <c>tracetest.T</c>): probes
/// deliver events to <see cref="RxEvent"/>, which pauses the thread that fired each event until
/// the test has checked it with <see cref="Expect"/>.
/// </summary>
/// <remarks>
/// <para>
/// Events are routed into named streams (<see cref="SetEventRouter"/>). Each stream must be
/// strictly ordered by causality: its events happen one after another in every execution, as the
/// events of one thread, or of one request handled by several threads, do. Events on different
/// streams may be concurrent. The test checks the streams one event at a time in an order it
/// chooses; since every sender waits for its check, choosing the order of checks chooses an
/// interleaving of the threads, which makes races reproducible.
/// </para>
/// <para>
/// A <c>T</c> is created by <see cref="TraceTest.Run"/> or <see cref="TraceTest.Verify"/> (or the
/// NUnit adapter) for one run of the test body, and is unusable after it. The checking side is
/// one sequential process: call <see cref="Expect"/>, <see cref="Receive"/> and
/// <see cref="ExpectNone"/> one at a time (awaiting each async one before the next).
/// </para>
/// </remarks>
public sealed partial class T
{
    /// <summary>The stream events go to while no router is set, or when the router returns null or "".</summary>
    public const string DefaultStream = "default";

    /// <summary>
    /// Called by probes, on the thread that fired the event: hands <paramref name="traceEvent"/> to
    /// the test and blocks until the test has checked it.
    /// </summary>
    /// <param name="traceEvent">
    /// The event: any object, compared with the expected one by type and then by value. Records
    /// (<c>record Read(string Teller, int Balance)</c>) compare and print well.
    /// </param>
    /// <remarks>
    /// <para>Attach it to trace events, for example
    /// <c>Trace.Attach(t.Probes, Account.TraceRead, (teller, balance) => t.RxEvent(new Read(teller, balance)))</c>.</para>
    /// <para>
    /// If the test does not receive the event within <see cref="Deadline"/>, the test fails as
    /// deadlocked. If the test rejects the event, fails, or ends without checking it, this throws
    /// <see cref="EventRejectedException"/> in the firing thread, so that no thread stays blocked.
    /// </para>
    /// </remarks>
    /// <exception cref="EventRejectedException">The test released this thread without accepting the event.</exception>
    /// <exception cref="InvalidOperationException">
    /// Called on the thread that runs a synchronous test body (it would wait for itself), or after
    /// the run ended (a probe was left attached).
    /// </exception>
    public void RxEvent(object traceEvent)
    {
        if (traceEvent is null) throw new ArgumentNullException(nameof(traceEvent));
        Func<object, string?>? router;
        lock (_gate)
        {
            if (_ended)
            {
                throw new InvalidOperationException(
                    $"T.RxEvent: {Values.Describe(traceEvent)} was fired after its test run ended. Attach the probes " +
                    "that deliver to T with t.Probes as their group (the run detaches them), or detach them " +
                    "(pg.Done()) before the test body returns.");
            }
            if (_bodyThread == Thread.CurrentThread)
            {
                throw new InvalidOperationException(
                    $"T.RxEvent: {Values.Describe(traceEvent)} was fired on the thread that runs the test body, which " +
                    "would wait for itself to check it. Run the code under test on another thread " +
                    "(Task.Run or Task.Factory.StartNew(..., TaskCreationOptions.LongRunning)).");
            }
            EnterSender();
            router = _router;
        }
        try
        {
            var stream = Route(router, traceEvent);
            Send(stream, traceEvent);
        }
        finally
        {
            lock (_gate) ExitSender();
        }
    }

    /// <summary>
    /// Tells the run to which stream each event goes. Call it once, at the start of the test body;
    /// until then every event goes to <see cref="DefaultStream"/>.
    /// </summary>
    /// <param name="route">
    /// Returns the stream of an event; null or "" mean <see cref="DefaultStream"/>. It runs on
    /// the thread that fired the event, before the event is queued. If it throws, the test fails
    /// and the exception propagates in that thread.
    /// </param>
    /// <exception cref="InvalidOperationException">A router is set already.</exception>
    public void SetEventRouter(Func<object, string?> route)
    {
        if (route is null) throw new ArgumentNullException(nameof(route));
        lock (_gate)
        {
            ThrowIfEnded("T.SetEventRouter");
            if (_router is not null)
            {
                throw new InvalidOperationException(
                    "T.SetEventRouter: the event router is set already; a run has one router. Set it once, " +
                    "at the start of the test body, with a route that covers every event.");
            }
            _router = route;
        }
    }

    /// <summary>
    /// Receives the next event on <paramref name="stream"/>, checks that it is
    /// <paramref name="expected"/> (same type, then equal value), and lets its sender go on.
    /// </summary>
    /// <remarks>
    /// Waits up to <see cref="Deadline"/> for the event. On a mismatch or a deadlock the test
    /// fails: the message names the stream and shows the expected and the received event (with a
    /// member-by-member diff); every waiting sender is released with
    /// <see cref="EventRejectedException"/>; and this throws <see cref="TraceTestException"/>,
    /// which ends the test body.
    /// </remarks>
    /// <exception cref="TraceTestException">The check failed, the wait deadlocked, or the test had failed already.</exception>
    /// <exception cref="InvalidOperationException">Another check is waiting, or the run has ended.</exception>
    public void Expect(string stream, object expected)
    {
        CheckArguments(stream, expected);
        var message = Next(stream, Deadline, "T.Expect");
        Check(stream, expected, message);
    }

    /// <summary>
    /// <see cref="Expect"/> for async test bodies: waits without holding a thread.
    /// </summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">The event expected next on it.</param>
    /// <param name="cancellationToken">Stops waiting (the test then neither passes nor fails on this check).</param>
    /// <exception cref="TraceTestException">The check failed, the wait deadlocked, or the test had failed already.</exception>
    /// <exception cref="InvalidOperationException">Another check is waiting, or the run has ended.</exception>
    public async Task ExpectAsync(string stream, object expected, CancellationToken cancellationToken = default)
    {
        CheckArguments(stream, expected);
        var message = await NextAsync(stream, Deadline, "T.ExpectAsync", cancellationToken).ConfigureAwait(false);
        Check(stream, expected, message);
    }

    /// <summary>
    /// Receives the next event on <paramref name="stream"/> without checking it and without
    /// letting its sender go on: the sender stays paused until <see cref="ReceivedEvent.Ack"/>.
    /// </summary>
    /// <remarks>
    /// Use it to inspect state while a thread is paused at an event, to hold two threads paused at
    /// once, or for events whose value is not known in advance. An event received but never
    /// acknowledged fails the test when it ends. Waits up to <see cref="Deadline"/>.
    /// </remarks>
    /// <exception cref="TraceTestException">The wait deadlocked, or the test had failed already.</exception>
    /// <exception cref="InvalidOperationException">Another check is waiting, or the run has ended.</exception>
    public ReceivedEvent Receive(string stream)
    {
        CheckStream(stream);
        var message = Next(stream, Deadline, "T.Receive");
        return Received(stream, message, expected: null);
    }

    /// <summary><see cref="Receive"/> for async test bodies.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="TraceTestException">The wait deadlocked, or the test had failed already.</exception>
    /// <exception cref="InvalidOperationException">Another check is waiting, or the run has ended.</exception>
    public async Task<ReceivedEvent> ReceiveAsync(string stream, CancellationToken cancellationToken = default)
    {
        CheckStream(stream);
        var message = await NextAsync(stream, Deadline, "T.ReceiveAsync", cancellationToken).ConfigureAwait(false);
        return Received(stream, message, expected: null);
    }

    /// <summary>
    /// Checks that no event is waiting on <paramref name="stream"/> now, or, with
    /// <paramref name="within"/>, that none arrives during that time.
    /// </summary>
    /// <param name="stream">The stream.</param>
    /// <param name="within">
    /// How long to watch the stream; zero (the default) checks only what has arrived. A check
    /// "now" is deterministic when every thread that could send on the stream is paused at an
    /// event or finished; a window only catches events that come soon enough.
    /// </param>
    /// <exception cref="TraceTestException">An event came: the test fails and the event is rejected.</exception>
    /// <exception cref="InvalidOperationException">Another check is waiting, or the run has ended.</exception>
    public void ExpectNone(string stream, TimeSpan within = default)
    {
        CheckStream(stream);
        var message = Next(stream, within, "T.ExpectNone");
        CheckNone(stream, message);
    }

    /// <summary><see cref="ExpectNone"/> for async test bodies.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="within">How long to watch the stream; zero checks only what has arrived.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="TraceTestException">An event came: the test fails and the event is rejected.</exception>
    /// <exception cref="InvalidOperationException">Another check is waiting, or the run has ended.</exception>
    public async Task ExpectNoneAsync(string stream, TimeSpan within = default, CancellationToken cancellationToken = default)
    {
        CheckStream(stream);
        var message = await NextAsync(stream, within, "T.ExpectNoneAsync", cancellationToken).ConfigureAwait(false);
        CheckNone(stream, message);
    }

    /// <summary>
    /// A probe group for the probes that deliver to this run. When the run ends (after releasing
    /// every waiting sender) it is detached and the run waits for the dispatches still running
    /// its probes, so a Verify rerun attaches its own probes afresh.
    /// </summary>
    public ProbeGroup Probes { get; } = new();

    /// <summary>How long either side waits for the other before the test fails as deadlocked (<see cref="TraceTestOptions.Deadline"/>).</summary>
    public TimeSpan Deadline { get; }

    /// <summary>The Verify case this run is, <c>delay@3(=alice:1)</c>; null for Run and for the first run of Verify.</summary>
    public string? CaseName { get; }

    /// <summary>Writes a message to the test's output (<see cref="TraceTestOptions.Output"/>).</summary>
    /// <param name="message">The message.</param>
    public void Log(string message) => WriteOutput(message);
}
