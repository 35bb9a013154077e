using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Tracing.Benchmarks;

/// <summary>
/// <c>benchmarks/run.sh</c> runs every benchmark and prints the targets of docs/benchmarks.md
/// against the numbers; any BenchmarkDotNet option may follow (<c>--filter '*Attach*'</c>).
/// <c>--disasm-driver</c> is what benchmarks/disasm.sh runs under DOTNET_JitDisasm;
/// <c>--bridge-startup</c> measures what the EventPipe bridge adds to process startup (<see cref="BridgeStartup"/>);
/// <c>--eventpipe-throughput</c> runs <c>tracing record -p</c> against a process firing events (<see cref="EventPipeThroughput"/>);
/// <c>--weave-time</c> times weaves with the process' CPU time too (see <see cref="WeaveTimer"/>);
/// <c>--profile-size</c> measures a profile's size against its firings (see <see cref="ProfileSize"/>).
/// </summary>
static class Program
{
    static int Main(string[] args)
    {
        if (args is ["--disasm-driver"])
        {
            DisasmDriver.Run();
            return 0;
        }
        if (args is ["--profile-size"])
        {
            ProfileSize.Run(Console.Out);
            return 0;
        }
        if (args is ["--recording-throughput", ..])
        {
            RecordingThroughput.Run(args[1..], Console.Out);
            return 0;
        }
        if (args is ["--eventpipe-throughput", ..])
            return EventPipeThroughput.Run(args[1..], Console.Out);
        if (args is ["--eventpipe-target", ..])
        {
            EventPipeThroughput.Target(args[1..]);
            return 0;
        }
        if (args is ["--bridge-startup"])
        {
            BridgeStartup.Run(Console.Out);
            return 0;
        }
        if (args is ["--bridge-startup-child", var mode, var pool])
        {
            BridgeStartup.Child(mode, pool);
            return 0;
        }
        if (args is ["--weave-time"])
        {
            WeaveTimer.Run(Console.Out);
            return 0;
        }
        // Each class carries its own job and columns (Configs.cs); this adds nothing but what a
        // run needs to start.
        var config = ManualConfig.CreateEmpty().WithOptions(ConfigOptions.DisableLogFile);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();
        if (summaries.Length == 0) return 1;
        Targets.Print(summaries, Console.Out);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
