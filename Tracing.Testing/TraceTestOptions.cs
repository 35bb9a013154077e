using System;

namespace Tracing.Testing;

/// <summary>Settings of one <see cref="TraceTest.Run"/> or <see cref="TraceTest.Verify"/>.</summary>
public sealed class TraceTestOptions
{
    /// <summary>The default <see cref="Deadline"/>: 3 seconds, as in go123's tracetest.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(3);

    TimeSpan _deadline = DefaultDeadline;

    /// <summary>
    /// How long either side waits for the other before the test fails as deadlocked: the test for
    /// an event it expects, and a thread that fired an event for the test to receive it.
    /// Default <see cref="DefaultDeadline"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan Deadline
    {
        get => _deadline;
        set
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value,
                    "TraceTestOptions.Deadline must be positive.");
            }
            _deadline = value;
        }
    }

    /// <summary>
    /// Where the harness writes its output (each Verify case, events when <see cref="LogEvents"/>
    /// is set, the streams left at the end of a failed run, <see cref="T.Log"/>), one message per
    /// call; null for none. The NUnit adapter sends it to <c>TestContext.Out</c>.
    /// </summary>
    /// <remarks>
    /// The harness calls it only on the thread that runs the test (or, for an async test, its
    /// flow), never on a thread that fired an event; within a run, calls never overlap (they are
    /// serialized with <see cref="T.Log"/>).
    /// </remarks>
    public Action<string>? Output { get; set; }

    /// <summary>Write each event to <see cref="Output"/> as the test receives it (go123's <c>-tracetest.v</c>).</summary>
    public bool LogEvents { get; set; }

    internal TraceTestOptions Clone() => (TraceTestOptions)MemberwiseClone();
}
