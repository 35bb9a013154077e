using System;
using System.Linq;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests.Fuzz;

/// <summary>
/// The differential fuzzer: generated programs, woven, behave as their references. CI runs a
/// fixed batch; docs/robustness.md gives the command for long runs:
/// <c>TRACING_FUZZ_SEED=7 TRACING_FUZZ_COUNT=10000 dotnet test Tracing.Fody.Robustness.Tests --filter Name=GeneratedProgramsBehaveAsTheirReference</c>.
/// </summary>
[TestFixture]
public sealed class FuzzTests
{
    const int CiSeed = 20251128;
    const int CiCount = 240;

    [Test]
    public void GeneratedProgramsBehaveAsTheirReference()
    {
        var seeds = Environment.GetEnvironmentVariable("TRACING_FUZZ_PROGRAM") is { Length: > 0 } single
            ? new[] { int.Parse(single) }
            : Enumerable.Range(0, Count()).Select(i => FuzzRunner.ProgramSeed(Seed(), i)).ToArray();
        var runner = new FuzzRunner();
        var failures = runner.Run(seeds);
        var s = runner.Statistics;
        TestContext.Progress.WriteLine(
            $"Fuzz: seed {Seed()}, {s.Programs} programs ({s.Async} async, {s.Optimized} optimized, {s.WithoutSymbols} without debug information), " +
            $"{s.TraceCalls} trace calls, {s.Batches} batches, {s.EagerFallbacks} eager fallbacks, {failures.Count} failures; " +
            $"compiling {s.Compiling.Elapsed.TotalSeconds:F0} s, weaving {s.Weaving.Elapsed.TotalSeconds:F0} s, running {s.Running.Elapsed.TotalSeconds:F0} s.");
        Assert.That(s.Programs, Is.EqualTo(seeds.Length));
        Assert.That(failures, Is.Empty, () => $"{failures.Count} failures; the first ones:\n\n" + string.Join("\n\n", failures.Take(3)));
    }

    static int Seed() => Environment.GetEnvironmentVariable("TRACING_FUZZ_SEED") is { Length: > 0 } seed ? int.Parse(seed) : CiSeed;

    static int Count() => Environment.GetEnvironmentVariable("TRACING_FUZZ_COUNT") is { Length: > 0 } count ? int.Parse(count) : CiCount;
}
