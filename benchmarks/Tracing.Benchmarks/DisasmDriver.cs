using System.Threading;
using Tracing.Benchmarks.Subject;

namespace Tracing.Benchmarks;

/// <summary>
/// Calls the measured methods until the tiered JIT has compiled them at tier 1, the code the
/// benchmarks measure. Under DOTNET_JitDisasm the JIT prints each compilation of them.
/// </summary>
static class DisasmDriver
{
    public static void Run()
    {
        // As in the enabled benchmarks: 1 probe on TraceOne, 4 on TraceFour; TraceOff has none.
        using var probes = new ProbeGroup();
        Trace.Setup(() =>
        {
            Tracepoints.AttachOne(probes);
            for (var i = 0; i < 4; i++) Tracepoints.AttachFour(probes);
        });
        // Tier 1 comes after 30 calls and a quiet 100 ms (TieredCompilation's call counting and
        // delay), compiled in the background: call, pause, repeat.
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 100; i++)
            {
                Tracepoints.LoneDisabledCall("request", i);
                Tracepoints.Disabled("request", CallSiteBenchmarks.Calls);
                Tracepoints.DisabledExpensiveArgument("request", CallSiteBenchmarks.Calls);
                Tracepoints.EnabledOneProbe("request", CallSiteBenchmarks.Calls);
                Tracepoints.EnabledFourProbes("request", CallSiteBenchmarks.Calls);
                Baselines.EmptyLoop("request", CallSiteBenchmarks.Calls);
                Peers.StaticEvent("request", CallSiteBenchmarks.Calls);
            }
            Thread.Sleep(150);
        }
    }
}
