using System;
using System.Diagnostics;
using System.IO;

namespace Tracing.Benchmarks;

/// <summary>
/// <c>--weave-time</c>: times the weave of generated libraries of a few shapes with a stopwatch
/// and with the process' CPU time, which the other processes of a busy machine do not inflate.
/// The first weave in the process is cold (the weaver and Cecil are compiled by the JIT then),
/// as in a build. A complement to <see cref="WeavingBenchmarks"/>, not a replacement.
/// </summary>
static class WeaveTimer
{
    public static void Run(TextWriter output)
    {
        var runtime = typeof(Trace).Assembly.Location;
        var directories = WeavingBenchmarks.SearchDirectories;
        // The benchmark's shape first (its first weave is the cold one), then shapes that tell
        // events from call sites, and many events in one class from the same spread over classes.
        var shapes = new[]
        {
            (Events: 1_000, Sites: 10_000, PerClass: 100),
            (Events: 1_000, Sites: 0, PerClass: 100),
            (Events: 10, Sites: 10_000, PerClass: 100),
            (Events: 10_000, Sites: 0, PerClass: 100),
            (Events: 10_000, Sites: 0, PerClass: 10_000),
        };
        output.WriteLine("| events | per class | call sites | weave | wall ms (read, weave, write) | CPU ms |");
        output.WriteLine("|---:|---:|---:|---|---:|---:|");
        var first = true;
        foreach (var (events, sites, perClass) in shapes)
        {
            var assembly = GeneratedAssembly.Compile(events, sites, runtime, perClass);
            for (var run = 0; run < (first ? 6 : 3); run++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                using (var module = WeavingBenchmarks.Read(assembly, directories))
                {
                    WeavingBenchmarks.Execute(module);
                    WeavingBenchmarks.Write(module);
                }
                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                output.WriteLine(FormattableString.Invariant($"| {events:N0} | {perClass:N0} | {sites:N0} | {(first && run == 0 ? "cold" : $"{run + 1}")} | {wall.Elapsed.TotalMilliseconds:0} | {cpuMs:0} |"));
            }
            first = false;
        }
    }
}
