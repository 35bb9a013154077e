using System.Runtime.CompilerServices;

namespace Tracing.Benchmarks.Subject;

/// <summary>
/// Trace events and their call sites, woven by Tracing.Fody. Each measured call site sits in a
/// loop of <c>count</c> iterations, so that a cost below a nanosecond is measured over many calls;
/// the loops are <see cref="Baselines.EmptyLoop"/> with one statement added.
/// </summary>
public static class Tracepoints
{
    [Trace.Event] internal static void TraceOff(string name, int n) { }  // no probe is ever attached
    [Trace.Event] internal static void TraceOne(string name, int n) { }  // 1 probe in the enabled case
    [Trace.Event] internal static void TraceFour(string name, int n) { } // 4 probes in the enabled case

    // The same events with the woven dispatch kept out of line (NoInlining on the declaration is
    // kept by the weaver): what the call sites cost if the weaver emitted NoInlining itself.
    [Trace.Event, MethodImpl(MethodImplOptions.NoInlining)] internal static void TraceOffOutOfLine(string name, int n) { }
    [Trace.Event, MethodImpl(MethodImplOptions.NoInlining)] internal static void TraceOneOutOfLine(string name, int n) { }

    /// <summary>Attaches <see cref="Sink.Receive"/> to TraceOne.</summary>
    public static Probe AttachOne(ProbeGroup pg) => Trace.Attach(pg, TraceOne, Sink.Receive);

    /// <summary>Attaches <see cref="Sink.Receive"/> to TraceFour (call it 4 times for 4 probes).</summary>
    public static Probe AttachFour(ProbeGroup pg) => Trace.Attach(pg, TraceFour, Sink.Receive);

    /// <summary>Attaches <see cref="Sink.Receive"/> to TraceOneOutOfLine.</summary>
    public static Probe AttachOneOutOfLine(ProbeGroup pg) => Trace.Attach(pg, TraceOneOutOfLine, Sink.Receive);

    /// <summary>A disabled trace call: woven, one static load and one branch.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Disabled(string name, int count)
    {
        for (var i = 0; i < count; i++) TraceOff(name, i);
    }

    /// <summary>A disabled trace call whose argument is expensive: laziness skips it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DisabledExpensiveArgument(string name, int count)
    {
        for (var i = 0; i < count; i++) TraceOff($"{name} #{i}", i);
    }

    /// <summary>A trace call with one probe attached to its event.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EnabledOneProbe(string name, int count)
    {
        for (var i = 0; i < count; i++) TraceOne(name, i);
    }

    /// <summary>A trace call with four probes attached to its event.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EnabledFourProbes(string name, int count)
    {
        for (var i = 0; i < count; i++) TraceFour(name, i);
    }

    /// <summary>A disabled trace call of an event whose dispatch is never inlined.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void DisabledOutOfLine(string name, int count)
    {
        for (var i = 0; i < count; i++) TraceOffOutOfLine(name, i);
    }

    /// <summary>A trace call with one probe, of an event whose dispatch is never inlined.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void EnabledOneProbeOutOfLine(string name, int count)
    {
        for (var i = 0; i < count; i++) TraceOneOutOfLine(name, i);
    }

    /// <summary>
    /// A lone disabled trace call, outside any loop: benchmarks/disasm.sh prints the JIT's final
    /// code for it, to show the whole cost of the check.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int LoneDisabledCall(string name, int n)
    {
        TraceOff(name, n);
        return n + 1;
    }
}
