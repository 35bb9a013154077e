using System;
using System.Collections.Generic;
using System.Linq;

namespace Tracing.Testing;

/// <summary>One way a synchronous-tracing test failed.</summary>
public sealed class TraceTestFailure
{
    internal TraceTestFailure(string? caseName, string message, Exception? exception)
    {
        Case = caseName;
        Message = message;
        Exception = exception;
    }

    /// <summary>
    /// The Verify case that failed, <c>delay@3(=alice:1)</c> for the rerun that delayed the 4th
    /// event (the 2nd on stream <c>alice</c>); null for <see cref="TraceTest.Run"/> and for the
    /// first run of <see cref="TraceTest.Verify"/>.
    /// </summary>
    public string? Case { get; }

    /// <summary>What went wrong, naming the stream and the event.</summary>
    public string Message { get; }

    /// <summary>The exception the test body threw, when that is the failure; otherwise null.</summary>
    public Exception? Exception { get; }

    /// <summary>The message, prefixed with the case when there is one.</summary>
    public override string ToString() => Case is null ? Message : $"{Case}: {Message}";
}

/// <summary>
/// A synchronous-tracing test failed. Thrown by <see cref="T.Expect"/> and the other checks of
/// <see cref="T"/> to stop the test body, and by <see cref="TraceTest.Run"/> and
/// <see cref="TraceTest.Verify"/> with every failure of the test.
/// </summary>
public sealed class TraceTestException : Exception
{
    internal TraceTestException(IReadOnlyList<TraceTestFailure> failures, string? shutdown = null, T? source = null)
        : base(Compose(failures, shutdown))
    {
        Failures = failures;
        Shutdown = shutdown;
        Origin = source;
    }

    /// <summary>Every failure, in the order they happened (Verify: case by case).</summary>
    public IReadOnlyList<TraceTestFailure> Failures { get; }

    /// <summary>
    /// What the streams held when the failed run ended (go123's "test shutdown" listing): events
    /// sent but never checked, and the quiet streams; null when there is nothing to show.
    /// </summary>
    public string? Shutdown { get; }

    // The run whose check threw this from inside the test body; it has recorded the failure already.
    internal T? Origin { get; }

    static string Compose(IReadOnlyList<TraceTestFailure> failures, string? shutdown)
    {
        var text = string.Join("\n", failures.Select(f => f.ToString()));
        return shutdown is null ? text : text + "\n" + shutdown;
    }
}

/// <summary>
/// Thrown by <see cref="T.RxEvent"/>, in the thread that fired the event, when the test released
/// that thread without accepting the event: the event was not what the test expected, or the test
/// failed, deadlocked or ended before checking it.
/// </summary>
/// <remarks>
/// It takes the place of go123's <c>runtime.Goexit</c> in the sending goroutine: it unwinds the
/// code under test from the trace event call so that no thread stays blocked. The failure itself
/// is reported by the test; this exception only carries it out of the thread. Run code under test
/// on tasks (<c>Task.Run</c>, <c>TaskCreationOptions.LongRunning</c>) rather than bare threads, on
/// which an unhandled exception ends the process.
/// </remarks>
public sealed class EventRejectedException : Exception
{
    internal EventRejectedException(string stream, object traceEvent, string reason, T source)
        : base($"{stream} <- {Internal.Values.DescribeWithType(traceEvent)}: {reason}")
    {
        Stream = stream;
        Event = traceEvent;
        Reason = reason;
        Origin = source;
    }

    /// <summary>The stream the event was routed to.</summary>
    public string Stream { get; }

    /// <summary>The event.</summary>
    public object Event { get; }

    /// <summary>Why the test did not accept it.</summary>
    public string Reason { get; }

    internal T Origin { get; }
}
