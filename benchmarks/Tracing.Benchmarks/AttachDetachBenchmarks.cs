using System;
using BenchmarkDotNet.Attributes;
using Tracing.Benchmarks.Subject;
using Few = Tracing.Benchmarks.Events10.Events;
using Many = Tracing.Benchmarks.Events10000.Events;

namespace Tracing.Benchmarks;

/// <summary>
/// Attaching and detaching one probe, under the trace lock, in an assembly with 10 and with
/// 10,000 other trace events (all in the same class as the measured one: the worst case for any
/// lookup by member). The cost must not depend on how many other events exist.
/// </summary>
[Config(typeof(AttachDetachConfig))]
[MemoryDiagnoser]
public class AttachDetachBenchmarks
{
    [Params(10, 10_000)]
    public int OtherEvents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        if (Few.OtherEvents != 10 || Many.OtherEvents != 10_000) throw new InvalidOperationException("The generated event libraries do not match the parameters.");
        // The first attach creates the event's probe list: measure the steady state.
        Woven();
        ByReflection();
    }

    /// <summary>
    /// <c>Trace.Attach(null, Events.TraceMeasured, probe)</c> in woven code: compiled into a direct
    /// call of the generated <c>TraceMeasured_Attach</c>.
    /// </summary>
    [Benchmark]
    public void Woven()
    {
        Trace.Lock();
        var probe = OtherEvents == 10 ? Few.AttachMeasured(null, Sink.Receive) : Many.AttachMeasured(null, Sink.Receive);
        probe.Detach();
        Trace.Unlock();
    }

    /// <summary>
    /// The same call in an assembly that is not woven (this one): Trace.Attach finds the event's
    /// generated attach method at run time.
    /// </summary>
    [Benchmark]
    public void ByReflection()
    {
        Trace.Lock();
        var probe = OtherEvents == 10 ? Trace.Attach(null, Few.TraceMeasured, Sink.Receive) : Trace.Attach(null, Many.TraceMeasured, Sink.Receive);
        probe.Detach();
        Trace.Unlock();
    }
}
