using Tracing.Testing.Internal;

namespace Tracing.Testing;

/// <summary>
/// An event the test received with <see cref="T.Receive"/>: the thread that fired it stays paused
/// at the trace event until <see cref="Ack"/>.
/// </summary>
/// <remarks>
/// While the sender is paused it cannot change the state it is about to change, so the test can
/// inspect that state, or receive events from other streams first, and then let it go on.
/// </remarks>
public sealed class ReceivedEvent
{
    readonly T _t;
    readonly Message _message;

    internal ReceivedEvent(T t, Message message)
    {
        _t = t;
        _message = message;
    }

    /// <summary>The stream the event came on.</summary>
    public string Stream => _message.Stream;

    /// <summary>The event, as passed to <see cref="T.RxEvent"/>.</summary>
    public object Event => _message.Event;

    /// <summary>
    /// Lets the thread that fired the event go on. Does nothing if the test has already failed or
    /// ended, which released that thread with an error.
    /// </summary>
    /// <exception cref="System.InvalidOperationException">The event was acknowledged already.</exception>
    public void Ack() => _t.Ack(_message, "ReceivedEvent.Ack");

    /// <inheritdoc />
    public override string ToString() => $"{Stream} <- {Values.Describe(Event)}";
}
