using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace Tracing.Benchmarks;

/// <summary>
/// The job every micro-benchmark runs: short enough that the whole suite fits in about 10 minutes
/// on 2 cores, long enough for stable medians (each iteration runs 10^4 to 10^7 calls).
/// </summary>
static class Jobs
{
    public static readonly Job Short = Job.Default
        .WithId("Short")
        .WithLaunchCount(1)
        .WithWarmupCount(6)
        .WithIterationCount(51)
        // Short iterations: on a shared machine most of them still run without being preempted,
        // which the Min column shows.
        .WithIterationTime(TimeInterval.FromMilliseconds(10))
        // Each invocation loops over 1,024 calls, so the harness' own overhead per call is a
        // thousandth of a nanosecond: measuring it would only add time and noise.
        .WithEvaluateOverhead(false);
}

/// <summary>What every class of the suite shows: median, min, allocated bytes; in declaration order.</summary>
class SuiteConfig : ManualConfig
{
    public SuiteConfig(TimeUnit unit)
    {
        AddColumnProvider(DefaultColumnProviders.Descriptor, DefaultColumnProviders.Params, DefaultColumnProviders.Metrics);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.StdDev);
        AddExporter(MarkdownExporter.GitHub);
        AddLogger(ConsoleLogger.Default);
        WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Declared));
        WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(unit).WithRatioStyle(RatioStyle.Value));
        WithOption(ConfigOptions.JoinSummary, false);
    }
}

/// <summary>Call sites: ns, ratios to the empty loop and to the static event in the same state.</summary>
class CallSiteConfig : SuiteConfig
{
    public CallSiteConfig() : base(TimeUnit.Nanosecond)
    {
        AddJob(Jobs.Short);
        AddColumn(
            new RatioColumn("vs empty loop", "Ratio of the median to EmptyLoop's.",
                (summary, _) => Find(summary, nameof(CallSiteBenchmarks.EmptyLoop))),
            new RatioColumn("vs static event", "Ratio of the median to the static event's in the same state (disabled or enabled).",
                (summary, benchmark) => benchmark.Descriptor.Categories.Contains(CallSiteBenchmarks.Enabled)
                    ? Find(summary, nameof(CallSiteBenchmarks.StaticEvent_Enabled))
                    : benchmark.Descriptor.Categories.Contains(CallSiteBenchmarks.Disabled)
                        ? Find(summary, nameof(CallSiteBenchmarks.StaticEvent_Disabled))
                        : null));
    }

    static BenchmarkReport? Find(Summary summary, string method) =>
        summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
}

/// <summary>Dispatch shapes: ns, ratio to the static event with one handler.</summary>
class DispatchShapeConfig : SuiteConfig
{
    public DispatchShapeConfig() : base(TimeUnit.Nanosecond)
    {
        AddJob(Jobs.Short);
        AddColumn(new RatioColumn("vs static event", "Ratio of the median to StaticEvent_1Handler's.",
            (summary, _) => summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(DispatchShapeBenchmarks.StaticEvent_1Handler))));
    }
}

/// <summary>Lone call sites: ns, ratio to the same method without the trace call.</summary>
class LoneSiteConfig : SuiteConfig
{
    public LoneSiteConfig() : base(TimeUnit.Nanosecond)
    {
        AddJob(Jobs.Short);
        AddColumn(new RatioColumn("vs no trace", "Ratio of the median to LoneSite_NoTrace's (the same method without the trace call).",
            (summary, _) => summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(LoneSiteBenchmarks.LoneSite_NoTrace))));
    }
}

/// <summary>Attach and detach: ns, ratio to the same case with 10 other events.</summary>
class AttachDetachConfig : SuiteConfig
{
    public AttachDetachConfig() : base(TimeUnit.Nanosecond)
    {
        AddJob(Jobs.Short);
        AddColumn(new RatioColumn("vs 10 events", "Ratio of the median to the same case's with 10 other events.",
            (summary, benchmark) => summary.Reports.FirstOrDefault(r =>
                r.BenchmarkCase.Descriptor.WorkloadMethod.Name == benchmark.Descriptor.WorkloadMethod.Name &&
                Equals(r.BenchmarkCase.Parameters[nameof(AttachDetachBenchmarks.OtherEvents)], 10))));
    }
}

/// <summary>
/// Weaving: ms. Warm: the median of repeated weaves in one process. Cold: the first weave in a
/// fresh process (the weaver and Cecil not yet compiled by the JIT), as in a build.
/// </summary>
class WeavingConfig : SuiteConfig
{
    public WeavingConfig() : base(TimeUnit.Millisecond)
    {
        // The tiered JIT needs about 5 weaves to move the weaver and Cecil to optimized code.
        AddJob(Job.Default.WithId("Warm").WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1).WithWarmupCount(8).WithIterationCount(10));
        AddJob(Job.Default.WithId("Cold").WithStrategy(RunStrategy.ColdStart)
            .WithLaunchCount(3).WithWarmupCount(0).WithIterationCount(1));
        AddColumnProvider(DefaultColumnProviders.Job);
    }
}

/// <summary>Tracing.OpenTelemetry: ns, and each trace event's ratio to the same work written by hand.</summary>
class OpenTelemetryConfig : SuiteConfig
{
    public OpenTelemetryConfig() : base(TimeUnit.Nanosecond)
    {
        AddJob(Jobs.Short);
        AddColumn(new RatioColumn("vs by hand", "Ratio of the median to the same span event or log record written by hand (Activity.AddEvent, [LoggerMessage]).",
            (summary, benchmark) => benchmark.Descriptor.WorkloadMethod.Name switch
            {
                nameof(OpenTelemetryBenchmarks.SpanEvent_NoSpan) => Find(summary, nameof(OpenTelemetryBenchmarks.AddEventByHand_NoSpan)),
                nameof(OpenTelemetryBenchmarks.SpanEvent_InRecordedSpan) => Find(summary, nameof(OpenTelemetryBenchmarks.AddEventByHand_InRecordedSpan)),
                nameof(OpenTelemetryBenchmarks.LogRecord_TraceEvent) => Find(summary, nameof(OpenTelemetryBenchmarks.LogRecord_LoggerMessage)),
                _ => null,
            }));
    }

    static BenchmarkReport? Find(Summary summary, string method) =>
        summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
}

/// <summary>The EventPipe bridge in a session: ns, ratio to the hand-written EventSource event in the same session.</summary>
class EventPipeConfig : SuiteConfig
{
    public EventPipeConfig() : base(TimeUnit.Nanosecond)
    {
        AddJob(Jobs.Short);
        AddColumn(new RatioColumn("vs EventSource", "Ratio of the median to EventSource_WriteEventCore's (the same session).",
            (summary, _) => summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == nameof(EventPipeBenchmarks.EventSource_WriteEventCore))));
    }
}
