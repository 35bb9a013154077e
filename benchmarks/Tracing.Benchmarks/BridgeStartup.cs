using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Tracing.Internal;

namespace Tracing.Benchmarks;

/// <summary>
/// <c>--bridge-startup</c>: what the EventPipe bridge adds to the first registration of a woven
/// assembly (its module initializer calls <see cref="EventSupport.Register"/>), in fresh
/// processes, with the bridge on and off. BenchmarkDotNet measures steady states; this is a
/// once-per-process cost, so each sample is a process of its own.
/// </summary>
/// <remarks>
/// Each child warms what any woven assembly's registration already pays (the registry, by
/// registering one assembly with EventSource switched off), then times one registration with
/// EventSource on (the bridge queues its creation) or off (no bridge). The difference of the
/// medians is the bridge's cost on the registering thread. The EventSource itself is created on a
/// thread-pool thread; it is not timed here. Two cases: the thread pool already running (warmed
/// with a <c>Task.Run</c>, the way most apps first use it; not through the queueing call the
/// bridge makes, which would flatter it), and the pool not started yet (a process whose first use
/// of the pool is the bridge's queueing: it pays the pool's start).
/// </remarks>
static class BridgeStartup
{
    const string Switch = "System.Diagnostics.Tracing.EventSource.IsSupported";

    public static void Run(TextWriter output, int samples = 21)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(BridgeStartup).Assembly.Location;
        double[] Sample(string mode, string pool) => Enumerable.Range(0, samples).Select(_ =>
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--bridge-startup-child");
            start.ArgumentList.Add(mode);
            start.ArgumentList.Add(pool);
            using var child = Process.Start(start)!;
            var line = child.StandardOutput.ReadToEnd().Trim();
            child.WaitForExit();
            return double.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
        }).OrderBy(v => v).ToArray();
        foreach (var pool in new[] { "running", "cold" })
        {
            var on = Sample("on", pool);
            var off = Sample("off", pool);
            output.WriteLine($"thread pool {pool}: first registration, bridge on:  median {on[on.Length / 2]:F0} µs, min {on[0]:F0} µs ({samples} processes)");
            output.WriteLine($"thread pool {pool}: first registration, bridge off: median {off[off.Length / 2]:F0} µs, min {off[0]:F0} µs");
            output.WriteLine($"thread pool {pool}: the bridge's cost on the registering thread: {on[on.Length / 2] - off[off.Length / 2]:F0} µs (difference of the medians)");
        }
    }

    public static void Child(string mode, string pool)
    {
        AppContext.SetSwitch(Switch, false);
        EventSupport.Register(typeof(WarmUp), (_, _, _, _) => null);
        if (pool == "running") Task.Run(() => { }).Wait();
        AppContext.SetSwitch(Switch, mode == "on");
        var watch = Stopwatch.StartNew();
        EventSupport.Register(typeof(Measured), (_, _, _, _) => null);
        var registered = watch.Elapsed.TotalMicroseconds;
        Console.WriteLine(registered.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
    }

    sealed class WarmUp { }
    sealed class Measured { }
}
