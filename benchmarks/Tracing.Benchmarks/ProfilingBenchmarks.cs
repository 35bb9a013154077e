using System;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Tracing.Benchmarks.Subject;
using Tracing.Profiling;

namespace Tracing.Benchmarks;

/// <summary>
/// The cost of an <see cref="EventProfile"/> on the firing thread, per firing, beside the floor
/// .NET sets: <c>new StackTrace(false)</c> at the same depth. <c>Depth</c> is the frames the
/// benchmark adds above BenchmarkDotNet's own (about 10).
/// </summary>
[Config(typeof(ProfilingConfig))]
public class ProfilingBenchmarks
{
    public const int Firings = 64;

    [Params(10, 50)] public int Depth;

    EventProfile? _profile;

    [GlobalSetup(Targets = new[] { nameof(Profile_EveryFiring) })]
    public void StartEvery() => _profile = EventProfile.Start(Profiled.TraceSample, new EventProfileOptions { Value = "length" });

    [GlobalSetup(Targets = new[] { nameof(Profile_SampleEvery100) })]
    public void StartSampled() => _profile = EventProfile.Start(Profiled.TraceSample, new EventProfileOptions { Value = "length", SampleEvery = 100 });

    [GlobalCleanup]
    public void Stop() => _profile?.Dispose();

    /// <summary>The floor: <c>new StackTrace(false)</c> as deep as the profile's sink takes it.</summary>
    [Benchmark(OperationsPerInvoke = Firings)]
    public void StackTrace_Floor() => Profiled.Capture(Depth, Firings);

    /// <summary>Every firing recorded: the stack, its aggregation and the value.</summary>
    [Benchmark(OperationsPerInvoke = Firings)]
    public void Profile_EveryFiring() => Profiled.Fire(Depth, Firings);

    /// <summary>About 1 firing in 100 recorded: the average cost of a firing.</summary>
    [Benchmark(OperationsPerInvoke = Firings * 100)]
    public void Profile_SampleEvery100() => Profiled.Fire(Depth, Firings * 100);
}

/// <summary>
/// Two threads recording at once against one: with no lock shared on the firing path, the time
/// per firing stays the same (2 cores). The floor is measured the same way: the runtime's stack
/// walk is what scales or not.
/// </summary>
[Config(typeof(ProfilingConfig))]
public class ProfilingScalingBenchmarks
{
    public const int FiringsPerThread = 4096, Depth = 10;

    [Params(1, 2)] public int Threads;

    EventProfile? _profile;

    [GlobalSetup(Targets = new[] { nameof(Profile_Threads) })]
    public void Start() => _profile = EventProfile.Start(Profiled.TraceSample);

    [GlobalCleanup]
    public void Stop() => _profile?.Dispose();

    /// <summary>Each thread captures <see cref="FiringsPerThread"/> stacks; the time is per stack of one thread.</summary>
    [Benchmark(OperationsPerInvoke = FiringsPerThread)]
    public void StackTrace_Floor_Threads() => Run(() => Profiled.Capture(Depth, FiringsPerThread));

    /// <summary>Each thread fires <see cref="FiringsPerThread"/> recorded events; the time is per firing of one thread.</summary>
    [Benchmark(OperationsPerInvoke = FiringsPerThread)]
    public void Profile_Threads() => Run(() => Profiled.Fire(Depth, FiringsPerThread));

    void Run(ThreadStart work)
    {
        var threads = new Thread[Threads];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(work);
            threads[i].Start();
        }
        foreach (var thread in threads) thread.Join();
    }
}

/// <summary>
/// Microseconds; the ratio to the floor in the same case (same depth, same threads), and for the
/// threads, to the same benchmark on one thread. Iterations are long enough for thousands of
/// stack captures.
/// </summary>
class ProfilingConfig : SuiteConfig
{
    public ProfilingConfig() : base(TimeUnit.Microsecond)
    {
        // In process: these cases need nothing of a separate process, and building one took longer
        // than BenchmarkDotNet's 2-minute build timeout on the shared 2-core machine.
        AddJob(Job.Default.WithId("Profiling").WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(21)
            .WithIterationTime(TimeInterval.FromMilliseconds(100)).WithToolchain(InProcessEmitToolchain.Instance));
        AddColumn(
            new RatioColumn("vs floor", "Ratio of the median to the floor's (new StackTrace(false) at the same depth, on as many threads).",
                (summary, benchmark) => summary.Reports.FirstOrDefault(r =>
                    r.BenchmarkCase.Descriptor.WorkloadMethod.Name.StartsWith("StackTrace_Floor", StringComparison.Ordinal) &&
                    SameParameters(r.BenchmarkCase, benchmark))),
            new RatioColumn("vs 1 thread", "Ratio of the median to the same benchmark's on one thread (1.00: perfect scaling).",
                (summary, benchmark) => benchmark.Parameters.Items.Any(p => p.Name == nameof(ProfilingScalingBenchmarks.Threads))
                    ? summary.Reports.FirstOrDefault(r =>
                        r.BenchmarkCase.Descriptor.WorkloadMethod == benchmark.Descriptor.WorkloadMethod &&
                        Equals(r.BenchmarkCase.Parameters[nameof(ProfilingScalingBenchmarks.Threads)], 1))
                    : null));
    }

    static bool SameParameters(BenchmarkCase a, BenchmarkCase b) =>
        a.Parameters.Items.All(p => Equals(p.Value, b.Parameters[p.Name]));
}
