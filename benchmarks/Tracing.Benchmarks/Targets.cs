using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Reports;

namespace Tracing.Benchmarks;

/// <summary>
/// The targets of docs/benchmarks.md, checked against one run's numbers (ratios within the run,
/// so the machine's speed and most of its noise cancel out). Printed after the summaries, and
/// written next to them as targets.md. A target whose cases were filtered out is not listed.
/// </summary>
static class Targets
{
    public static void Print(IReadOnlyList<Summary> summaries, TextWriter output)
    {
        var rows = new List<(string Target, string Measured, bool Met)>();
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();

        BenchmarkReport? Report(string method, string? job = null, int? otherEvents = null) => reports.FirstOrDefault(r =>
            r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method &&
            (job is null || r.BenchmarkCase.Job.Id == job) &&
            (otherEvents is null || Equals(r.BenchmarkCase.Parameters[nameof(AttachDetachBenchmarks.OtherEvents)], otherEvents)));

        // Met or not by the medians' ratio; the minima's ratio follows, as a check against noise.
        void Ratio(string target, string method, string baseline, double limit, string? note = null)
        {
            if (Report(method) is not { } m || Report(baseline) is not { } b) return;
            var ratio = m.ResultStatistics!.Median / b.ResultStatistics!.Median;
            var minRatio = m.ResultStatistics.Min / b.ResultStatistics!.Min;
            rows.Add((target, $"{ratio:0.00}× ({Ns(m)} / {Ns(b)}; min: {minRatio:0.00}×){note}", ratio <= limit));
        }

        void NoAllocation(string target, string method)
        {
            if (Report(method) is not { } m) return;
            var bytes = m.GcStats.GetBytesAllocatedPerOperation(m.BenchmarkCase) ?? 0;
            rows.Add((target, $"{bytes} B", bytes == 0));
        }

        Ratio("disabled site ≤ 1.05× the empty loop", nameof(CallSiteBenchmarks.Trace_Disabled), nameof(CallSiteBenchmarks.EmptyLoop), 1.05);
        Ratio("(lone site) disabled call in a small method ≤ 1.05× the method without it", nameof(LoneSiteBenchmarks.LoneSite_Disabled), nameof(LoneSiteBenchmarks.LoneSite_NoTrace), 1.05);
        NoAllocation("disabled site: 0 B allocated", nameof(CallSiteBenchmarks.Trace_Disabled));
        var eager = Report(nameof(CallSiteBenchmarks.LoggerMessage_Disabled_EagerExpensiveArgument)) is { } e && Report(nameof(CallSiteBenchmarks.EmptyLoop)) is { } l
            ? $"; eager (LoggerMessage): {e.ResultStatistics!.Median / l.ResultStatistics!.Median:0}×"
            : null;
        Ratio("disabled site, expensive argument ≤ 1.1× the empty loop", nameof(CallSiteBenchmarks.Trace_Disabled_ExpensiveArgument), nameof(CallSiteBenchmarks.EmptyLoop), 1.1, eager);
        Ratio("enabled, 1 probe ≤ 1.5× the static event", nameof(CallSiteBenchmarks.Trace_Enabled_1Probe), nameof(CallSiteBenchmarks.StaticEvent_Enabled), 1.5);
        Ratio("enabled, 1 probe ≤ 0.3× DiagnosticListener", nameof(CallSiteBenchmarks.Trace_Enabled_1Probe), nameof(CallSiteBenchmarks.DiagnosticListener_Enabled), 0.3);
        NoAllocation("enabled, 1 probe: 0 B allocated", nameof(CallSiteBenchmarks.Trace_Enabled_1Probe));
        Ratio("4 probes ≤ 0.8× the 4-target multicast delegate", nameof(CallSiteBenchmarks.Trace_Enabled_4Probes), nameof(CallSiteBenchmarks.Multicast4_Enabled), 0.8);

        if (Report(nameof(AttachDetachBenchmarks.Woven), otherEvents: 10_000) is { } many && Report(nameof(AttachDetachBenchmarks.Woven), otherEvents: 10) is { } few)
        {
            var ratio = many.ResultStatistics!.Median / few.ResultStatistics!.Median;
            var minRatio = many.ResultStatistics.Min / few.ResultStatistics!.Min;
            rows.Add(("attach+detach with 10,000 other events ≤ 1.2× with 10", $"{ratio:0.00}× ({Ns(many)} / {Ns(few)}; min: {minRatio:0.00}×)", ratio <= 1.2));
        }
        foreach (var job in new[] { "Cold", "Warm" })
        {
            if (Report(nameof(WeavingBenchmarks.ReadWeaveWrite), job) is not { } weave) continue;
            var ms = weave.ResultStatistics!.Median / 1e6;
            rows.Add(($"weaving 1,000 events / 10,000 call sites < 1 s ({job.ToLowerInvariant()})", $"{ms:0} ms (read, weave, write)", ms < 1000));
        }
        if (rows.Count == 0) return;

        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine("| target | measured (median) | met |");
        text.WriteLine("|---|---|---|");
        foreach (var (target, measured, met) in rows) text.WriteLine($"| {target} | {measured} | {(met ? "yes" : "**no**")} |");
        text.WriteLine();
        text.WriteLine("The disabled check's instructions: benchmarks/disasm.sh.");
        output.WriteLine();
        output.WriteLine("// * Targets (docs/benchmarks.md) *");
        output.Write(text.ToString());
        var directory = summaries[0].ResultsDirectoryPath;
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "targets.md"), text.ToString());
    }

    static string Ns(BenchmarkReport report) => FormattableString.Invariant($"{report.ResultStatistics!.Median:0.###} ns");
}
