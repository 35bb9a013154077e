using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
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
/// registering one assembly with EventSource switched off) and the thread pool (most processes
/// have used it by the time their second assembly starts), then times one registration with
/// EventSource on (the bridge queues its creation) or off (no bridge). The difference of the
/// medians is the bridge's cost on the registering thread. The EventSource itself is created on a
/// thread-pool thread; it is not timed here.
/// </remarks>
static class BridgeStartup
{
    const string Switch = "System.Diagnostics.Tracing.EventSource.IsSupported";

    public static void Run(TextWriter output, int samples = 21)
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(BridgeStartup).Assembly.Location;
        double[] Sample(string mode) => Enumerable.Range(0, samples).Select(_ =>
        {
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(dll);
            start.ArgumentList.Add("--bridge-startup-child");
            start.ArgumentList.Add(mode);
            using var child = Process.Start(start)!;
            var line = child.StandardOutput.ReadToEnd().Trim();
            child.WaitForExit();
            return double.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
        }).OrderBy(v => v).ToArray();
        var on = Sample("on");
        var off = Sample("off");
        output.WriteLine($"first registration, bridge on:  median {on[on.Length / 2]:F0} µs, min {on[0]:F0} µs ({samples} processes)");
        output.WriteLine($"first registration, bridge off: median {off[off.Length / 2]:F0} µs, min {off[0]:F0} µs");
        output.WriteLine($"the bridge's cost on the registering thread: {on[on.Length / 2] - off[off.Length / 2]:F0} µs (difference of the medians)");
    }

    public static void Child(string mode)
    {
        AppContext.SetSwitch(Switch, false);
        EventSupport.Register(typeof(WarmUp), (_, _, _, _) => null);
        using (var ran = new ManualResetEventSlim())
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ => ran.Set(), null);
            ran.Wait();
        }
        AppContext.SetSwitch(Switch, mode == "on");
        var watch = Stopwatch.StartNew();
        EventSupport.Register(typeof(Measured), (_, _, _, _) => null);
        var registered = watch.Elapsed.TotalMicroseconds;
        Console.WriteLine(registered.ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
    }

    sealed class WarmUp { }
    sealed class Measured { }
}
