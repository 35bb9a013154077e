using System;

namespace Tracing.Benchmarks.Subject;

/// <summary>
/// What every probe, handler, listener and logger of the benchmarks does: counts what it
/// receives. Real work the JIT cannot remove, and the same work for every mechanism.
/// </summary>
public static class Sink
{
    /// <summary>Events received since the process started.</summary>
    public static long Count;

    /// <summary>Where the profiling floor keeps its last stack trace, so that the JIT cannot drop it.</summary>
    public static object? Keep;

    /// <summary>
    /// The probe of every trace event and the handler of every delegate. A lambda, because C#
    /// compiles it into an instance method of a cached closure object: the fastest delegate to
    /// invoke (a delegate of a static method goes through a shuffle thunk).
    /// </summary>
    public static readonly Action<string, int> Receive = (name, n) => Count++;
}
