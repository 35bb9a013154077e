using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading;
using Tracing.Benchmarks.Subject;

namespace Tracing.Benchmarks;

/// <summary>
/// <c>--eventpipe-throughput [seconds] [events per second] [threads]</c>: <c>tracing record -p</c>
/// end to end. Starts a target process (this program, <c>--eventpipe-target</c>) that fires the
/// woven event (string, int) at the offered rate (0: as fast as one thread can) from 1 or 2
/// threads, runs the real <c>tracing record -p PID -o file --duration …</c> against it, then counts
/// the events in the JSON and reads what the tool says EventPipe dropped. Prints offered, fired,
/// recorded, lost, and each process's CPU time.
/// </summary>
/// <remarks>
/// <para>
/// The target starts firing when the bridge has attached the event's probe (the session is on) and
/// fires for the given time; the tool's <c>--duration</c> is that time plus a margin, so every
/// fired event was fired inside the session: fired = recorded + lost, exactly, when nothing else
/// is wrong. Each thread fires in batches of <see cref="Batch"/> calls and sleeps whenever it is
/// ahead of its share of the rate, so an offered rate below what a thread can fire leaves the core
/// mostly free; only "as fast as possible" keeps a thread busy (give it 1 thread on a 2-core
/// machine, or the tool gets no core).
/// </para>
/// <para>
/// CPU: the target's is its own process time from the first firing to the end of the recording
/// (the firing threads, and the runtime's thread that streams the session to the tool); the
/// tool's is its whole run (<c>getrusage(RUSAGE_CHILDREN)</c> around it), start-up included.
/// </para>
/// </remarks>
static class EventPipeThroughput
{
    const int Batch = 1000;

    // Where the benchmark project's build put `tracing` (a project reference that is built, not referenced).
    static string ToolPath() =>
        typeof(EventPipeThroughput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TracingToolPath").Value!;

    public static int Run(string[] args, TextWriter output)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var rate = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000; // 0: as fast as possible
        var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : rate > 0 ? 2 : 1;
        if (seconds <= 0 || rate < 0 || threads is < 1 or > 2)
        {
            Console.Error.WriteLine("--eventpipe-throughput [seconds > 0] [events per second, 0: as fast as possible] [threads: 1 or 2]");
            return 2;
        }
        var tool = ToolPath();
        if (!File.Exists(tool))
        {
            Console.Error.WriteLine($"The tracing tool is not built at {tool} (dotnet build -c Release tools/Tracing.Cli).");
            return 1;
        }
        var file = Path.Combine(Path.GetTempPath(), $"tracing-eventpipe-throughput-{Environment.ProcessId}.json");

        using var target = Process.Start(Self("--eventpipe-target", seconds.ToString(CultureInfo.InvariantCulture),
            rate.ToString(CultureInfo.InvariantCulture), threads.ToString(CultureInfo.InvariantCulture)))!;
        if (target.StandardOutput.ReadLine() != "ready") throw new InvalidOperationException("The target process did not start.");

        // The recording lasts the firing time plus a margin for the session to start (the bridge
        // attaches a few milliseconds after the session's command) and for the target to stop.
        var duration = TimeSpan.FromSeconds(Math.Ceiling(seconds) + 5);
        var record = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { tool, "record", "-p", target.Id.ToString(CultureInfo.InvariantCulture), "-o", file,
                     "--events", RecordedSites.RecordedEvent, "--duration", duration.ToString("c", CultureInfo.InvariantCulture) })
            record.ArgumentList.Add(a);
        var before = ChildrenCpu();
        var wall = Stopwatch.StartNew();
        string toolOutput, toolError;
        int toolExit;
        using (var recorder = Process.Start(record)!)
        {
            var errors = recorder.StandardError.ReadToEndAsync();
            toolOutput = recorder.StandardOutput.ReadToEnd();
            toolError = errors.Result;
            if (!recorder.WaitForExit(TimeSpan.FromSeconds(seconds + 120))) throw new TimeoutException("tracing record did not end.");
            toolExit = recorder.ExitCode;
        }
        var toolCpu = ChildrenCpu() - before;
        var toolWall = wall.Elapsed.TotalSeconds;

        target.StandardInput.WriteLine("stop");
        var report = target.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The target process ended without a report.");
        if (!target.WaitForExit(TimeSpan.FromSeconds(60))) throw new TimeoutException("The target process did not end.");
        // "fired N in S s, cpu C s"
        var parts = report.Split(' ');
        var fired = long.Parse(parts[1], CultureInfo.InvariantCulture);
        var firingTime = double.Parse(parts[3], CultureInfo.InvariantCulture);
        var targetCpu = double.Parse(parts[6], CultureInfo.InvariantCulture);

        var recorded = 0L;
        var needle = $"\"name\":\"{RecordedSites.RecordedEvent}\"";
        if (File.Exists(file))
        {
            foreach (var line in File.ReadLines(file))
                if (line.Contains(needle, StringComparison.Ordinal)) recorded++;
        }
        var bytes = File.Exists(file) ? new FileInfo(file).Length : 0;
        File.Delete(file);
        var dropped = Regex.Match(toolOutput, @"EventPipe dropped (\d+) events") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

        output.WriteLine($"offered: {(rate > 0 ? $"{rate / 1e6:0.00}M events/s" : "as fast as possible")} from {threads} thread(s) for {seconds:0.#} s; " +
                         $"`tracing record -p PID --duration {duration:c}` (exit code {toolExit})");
        output.WriteLine($"fired: {fired:N0} in {firingTime:0.00} s ({fired / firingTime / 1e6:0.00}M/s)");
        output.WriteLine($"recorded: {recorded:N0} events in the JSON ({recorded / firingTime / 1e6:0.00}M/s over the firing time; {(double)bytes / Math.Max(1, recorded):0} bytes each)");
        output.WriteLine($"lost: {fired - recorded:N0} ({100.0 * (fired - recorded) / Math.Max(1, fired):0.00}%); the tool says EventPipe dropped {dropped:N0}");
        output.WriteLine($"CPU: target {targetCpu:0.0} s from its first firing to the end of the recording; tool {toolCpu:0.0} s in {toolWall:0.0} s; {Environment.ProcessorCount} cores");
        output.WriteLine($"tool output: {toolOutput.Trim().Replace('\n', ' ')}");
        if (toolError.Length > 0) output.WriteLine($"tool errors: {toolError.Trim().Replace('\n', ' ')}");
        output.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
        return toolExit == 0 && fired > 0 ? 0 : 1;
    }

    static ProcessStartInfo Self(params string[] args)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(EventPipeThroughput).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>
    /// The target: says "ready", waits for the bridge to attach the event's probe, fires for the
    /// given time, then waits for a line on standard input and reports what it fired.
    /// </summary>
    public static void Target(string[] args)
    {
        var seconds = double.Parse(args[0], CultureInfo.InvariantCulture);
        var rate = double.Parse(args[1], CultureInfo.InvariantCulture);
        var threadCount = int.Parse(args[2], CultureInfo.InvariantCulture);
        RecordedSites.Recorded("request", 1); // the subject's module initializer has run: the Tracing EventSource is coming
        Console.WriteLine("ready");
        var probes = typeof(RecordedSites).GetField("<TraceRecorded>probes", BindingFlags.Static | BindingFlags.NonPublic)
                     ?? throw new InvalidOperationException("The woven probe field of RecordedSites.TraceRecorded was not found.");
        var deadline = Stopwatch.StartNew();
        while (probes.GetValue(null) is null)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(120)) throw new TimeoutException("No session attached the event within 120 s.");
            Thread.Sleep(1);
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var fired = new long[threadCount];
        var clock = Stopwatch.StartNew();
        var firing = Enumerable.Range(0, threadCount).Select(t => new Thread(() =>
        {
            var perThread = rate / threadCount;
            long n = 0;
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                // Ahead of the offered rate: sleep (about a millisecond) instead of spinning.
                if (perThread > 0 && n >= (long)(clock.Elapsed.TotalSeconds * perThread))
                {
                    Thread.Sleep(1);
                    continue;
                }
                RecordedSites.Recorded("request", Batch);
                n += Batch;
            }
            fired[t] = n;
        }) { Name = "firing " + t }).ToList();
        firing.ForEach(t => t.Start());
        firing.ForEach(t => t.Join());
        var firingTime = clock.Elapsed.TotalSeconds;

        Console.In.ReadLine(); // the recording has ended
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fired {fired.Sum()} in {firingTime:0.000} s, cpu {cpu:0.00} s"));
    }

    // CPU time (user + system) of this process's ended and waited-for children.
    static double ChildrenCpu()
    {
        if (getrusage(-1 /* RUSAGE_CHILDREN */, out var usage) != 0) return double.NaN;
        return usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)] public long[] Rest;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int getrusage(int who, out RUsage usage);
}
