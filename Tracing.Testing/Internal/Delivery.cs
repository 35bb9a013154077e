using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Tracing.Testing.Internal;

enum MessageState
{
    Queued,   // sent, waiting on its stream for the test to receive it
    Received, // the test has it; the sender waits for Ack
    Acked,    // accepted: the sender goes on
    Rejected, // released without being accepted: the sender throws EventRejectedException
}

/// <summary>One event sent to the test by <see cref="T.RxEvent"/>, and the state its sender waits on.</summary>
/// <remarks>Every field is read and written under the owning T's gate.</remarks>
sealed class Message
{
    public Message(string stream, object traceEvent)
    {
        Stream = stream;
        Event = traceEvent;
    }

    public string Stream { get; }
    public object Event { get; }
    public MessageState State { get; set; }
    public string? RejectReason { get; private set; }

    public void Reject(string reason)
    {
        State = MessageState.Rejected;
        RejectReason = reason;
    }
}

/// <summary>One stream: its events not yet received, in the order they arrived.</summary>
/// <remarks>Read and written under the owning T's gate.</remarks>
sealed class EventStream
{
    public EventStream(string name) => Name = name;

    public string Name { get; }

    public LinkedList<Message> Queue { get; } = new();

    /// <summary>Events routed to this stream so far: delay injection picks its event by this number.</summary>
    public int Routed { get; set; }
}

/// <summary>The checker waiting for the next event on a stream. At most one exists at a time.</summary>
/// <remarks>
/// Completed under the owning T's gate, which is then pulsed: a synchronous check waits on the
/// gate itself, so it needs no thread-pool thread even when the code under test has blocked
/// every one of them. An async check waits on <see cref="Completion"/>, whose continuations run
/// asynchronously, so no code of the test runs under the gate or on the sender's thread.
/// </remarks>
sealed class Waiter
{
    public Waiter(string stream, bool async)
    {
        Stream = stream;
        if (async) Completion = new TaskCompletionSource<Message?>(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public string Stream { get; }

    /// <summary>Whether the wait is over: an event came (<see cref="Result"/>), or the time is up, or the run was released (null).</summary>
    public bool Done { get; private set; }

    public Message? Result { get; private set; }

    public TaskCompletionSource<Message?>? Completion { get; }

    public void Complete(Message? message)
    {
        if (Done) return;
        Done = true;
        Result = message;
        Completion?.TrySetResult(message);
    }

    public void Cancel(CancellationToken cancellationToken)
    {
        if (Done) return;
        Done = true;
        Completion?.TrySetCanceled(cancellationToken);
    }
}

/// <summary>An event as it reached its stream, for Verify.</summary>
sealed class TraceRecord
{
    public TraceRecord(long timestamp, string stream, object traceEvent)
    {
        Timestamp = timestamp;
        Stream = stream;
        Event = traceEvent;
    }

    public long Timestamp { get; } // Stopwatch ticks
    public string Stream { get; }
    public object Event { get; }
}

/// <summary>Which event a Verify rerun delays, and by how long.</summary>
sealed class DelayInjection
{
    public DelayInjection(string stream, int index, System.TimeSpan delay)
    {
        Stream = stream;
        Index = index;
        Delay = delay;
    }

    public string Stream { get; }
    public int Index { get; }
    public System.TimeSpan Delay { get; }
}
