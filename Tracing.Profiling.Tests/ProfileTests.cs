using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using static Tracing.Profiling.Tests.Fixture;

namespace Tracing.Profiling.Tests;

/// <summary>
/// Profiles written by the woven fixture from known call paths, read back with go tool pprof:
/// exact stacks, counts and summed values.
/// </summary>
public class ProfileTests
{
    const string Main = "Program.Main";

    [Test]
    public void EachSampleIsTheStackThatFiredTheEventWithItsCountAndSummedValue()
    {
        var raw = Pprof.Raw(Profile("paths"));

        var paths = At("Program.Paths", "paths");
        var main = At(Main, "main-paths");
        Assert.That(raw.SampleTypes, Is.EqualTo(new[] { "events/count", "length/bytes[dflt]" }));
        Assert.That(raw.Stacks(), Is.EquivalentTo(new[]
        {
            $"3 300: {At("Client.Send", "send")} <- {At("Client.Request", "request")} <- {At("Program.Workload", "workload-request")} <- {paths} <- {main}",
            $"1 10: {At("Client.Send", "send")} <- {At("Client.Flush", "flush")} <- {At("Program.Workload", "workload-flush")} <- {paths} <- {main}",
            $"1 5: {At("Client.SendHeaderAndBody", "header")} <- {At("Program.Workload", "workload-header-body")} <- {paths} <- {main}",
            $"1 7: {At("Client.SendHeaderAndBody", "body")} <- {At("Program.Workload", "workload-header-body")} <- {paths} <- {main}",
            $"1 1: {At("Client.Ping", "ping")} <- {At("Program.Paths", "paths-ping-1")} <- {main}",
            $"1 1: {At("Client.Ping", "ping")} <- {At("Program.Paths", "paths-ping-2")} <- {main}",
        }.OrderBy(s => s, StringComparer.Ordinal)));
        // Send(1000) after Save is not there: Save stopped the profile.
    }

    [Test]
    public void TwoCallSitesInOneMethodStayDistinctLocationsOfOneFunction()
    {
        var raw = Pprof.Raw(Profile("paths"));

        var leaves = raw.Samples.Where(s => s.Stack[0].StartsWith("ProfilingFixture.Client.SendHeaderAndBody ", StringComparison.Ordinal)).ToList();
        Assert.That(leaves, Has.Count.EqualTo(2));
        Assert.That(leaves[0].Ids[0], Is.Not.EqualTo(leaves[1].Ids[0]), "header and body share a location");
        Assert.That(leaves.Select(s => s.Stack[0]), Is.EquivalentTo(new[] { At("Client.SendHeaderAndBody", "header"), At("Client.SendHeaderAndBody", "body") }));
        // Their caller is one location, once in each stack.
        Assert.That(leaves[0].Ids[1], Is.EqualTo(leaves[1].Ids[1]));
    }

    [Test]
    public void PprofTotalsTheCountsAndTheValuesByFunction()
    {
        var path = Profile("paths");

        var values = Pprof.Read("-top", "-sample_index=length", path);
        var counts = Pprof.Read("-top", "-sample_index=events", path);

        Assert.That(values, Does.Contain("Showing nodes accounting for 324B, 100% of 324B total"));
        Assert.That(values, Does.Match(@"\n\s+310B\s+95\.68%\s+95\.68%\s+310B\s+95\.68%\s+ProfilingFixture\.Client\.Send\n"));
        Assert.That(values, Does.Match(@"\n\s+0\s+0%\s+100%\s+322B\s+99\.38%\s+ProfilingFixture\.Program\.Workload\n"));
        Assert.That(counts, Does.Contain("Showing nodes accounting for 8, 100% of 8 total"));
        Assert.That(counts, Does.Match(@"\n\s+4\s+50\.00%\s+50\.00%\s+4\s+50\.00%\s+ProfilingFixture\.Client\.Send\n"));
        Assert.That(counts, Does.Contain("Type: events"));
        Assert.That(values, Does.Contain("Type: length"));
    }

    [Test]
    public void TheProfileSaysWhatItIsWhenAndForHowLong()
    {
        var raw = Pprof.Raw(Profile("paths"));

        Assert.That(raw.Header("PeriodType"), Is.EqualTo("events count"));
        Assert.That(raw.Header("Period"), Is.EqualTo("1"));
        Assert.That(raw.Header("Comment"), Is.EqualTo("Tracing.Profiling: the stacks that fired ProfilingFixture:ProfilingFixture.Net.TraceSent(int length)"));
        var time = DateTimeOffset.Parse(raw.Header("Time").Replace(" +0000 UTC", "Z"));
        Assert.That(time, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromHours(1)));
        Assert.That(double.Parse(raw.Header("Duration")), Is.GreaterThan(0));
    }

    [Test]
    public void AProfileStartedByNameCountsTheFiringsAfterItStarted()
    {
        var raw = Pprof.Raw(Profile("by-name"));

        var byName = At("Program.ByName", "by-name");
        var main = At(Main, "main-by-name");
        Assert.That(raw.SampleTypes, Is.EqualTo(new[] { "events/count[dflt]" }));
        Assert.That(raw.Stacks(), Is.EquivalentTo(new[]
        {
            $"3: {At("Client.Send", "send")} <- {At("Client.Request", "request")} <- {At("Program.Workload", "workload-request")} <- {byName} <- {main}",
            $"1: {At("Client.Send", "send")} <- {At("Client.Flush", "flush")} <- {At("Program.Workload", "workload-flush")} <- {byName} <- {main}",
            $"1: {At("Client.SendHeaderAndBody", "header")} <- {At("Program.Workload", "workload-header-body")} <- {byName} <- {main}",
            $"1: {At("Client.SendHeaderAndBody", "body")} <- {At("Program.Workload", "workload-header-body")} <- {byName} <- {main}",
        }));
    }

    [Test]
    public void EventsFiredFromEightThreadsAtOnceLandWithExactTotals()
    {
        var path = Profile("threads");
        var raw = Pprof.Raw(path);

        const int firings = ProfilingFixture.Program.Threads * ProfilingFixture.Program.RequestsPerThread;
        Assert.That(raw.Stacks(), Is.EqualTo(new[]
        {
            $"{firings} {firings * 100}: {At("Client.Send", "send")} <- {At("Client.Request", "request")} <- " +
            $"{At("Program.<>c__DisplayClass8_0.<Concurrent>b__0", "thread")} <- System.Threading.Thread.StartCallback :0",
        }));
        Assert.That(Pprof.Read("-top", "-sample_index=events", path), Does.Contain($"of {firings} total"));
    }

    [Test]
    public void SamplingOneInTenWeighsEachSampleByTenAndFollowsBothOfAlternatingCallPaths()
    {
        var raw = Pprof.Raw(Profile("sampled"));

        const int every = ProfilingFixture.Program.SampleEvery, each = ProfilingFixture.Program.Alternations / 2;
        Assert.That(raw.Header("Period"), Is.EqualTo(every.ToString()));
        Assert.That(raw.Samples.Select(s => s.Stack[0]), Is.EquivalentTo(new[] { At("Client.Ping", "ping"), At("Client.Pong", "pong") }));
        foreach (var (values, stack, _) in raw.Samples)
        {
            // About 5,000 of 50,000 firings recorded (binomial, standard deviation 67): 6 deviations is 4,000 firings.
            Assert.That(values[0] % every, Is.Zero, $"{stack[0]}: {values[0]} firings is not a multiple of the weight");
            Assert.That(values[0], Is.InRange(each - 4_000, each + 4_000), stack[0]);
            Assert.That(values[1], Is.EqualTo(values[0]), "each firing sends 1: the sum equals the count");
        }
        // A counter that recorded every tenth firing would have given every one of them to Ping.
    }

    [Test]
    public void ATimeSpanValueIsSummedInNanoseconds()
    {
        var raw = Pprof.Raw(Profile("wait"));

        Assert.That(raw.SampleTypes, Is.EqualTo(new[] { "events/count", "wait/nanoseconds[dflt]" }));
        Assert.That(raw.Stacks(), Is.EquivalentTo(new[]
        {
            $"1 1500000: {At("Client.Wait", "wait")} <- {At("Program.Wait", "wait-1")} <- {At(Main, "main-wait")}",
            $"1 300: {At("Client.Wait", "wait")} <- {At("Program.Wait", "wait-2")} <- {At(Main, "main-wait")}",
        }));
    }

    [Test]
    public void AnAsyncMethodIsNamedAsWritten()
    {
        var raw = Pprof.Raw(Profile("async"));

        Assert.That(raw.Samples, Has.Count.EqualTo(1));
        Assert.That(raw.Samples[0].Values, Is.EqualTo(new long[] { 1 }));
        Assert.That(raw.Samples[0].Stack[0], Is.EqualTo(At("Client.SendAsync", "send-async")));
        Assert.That(raw.Samples[0].Stack, Has.None.Contains("<SendAsync>"), "the compiler's state machine shows through");
    }

    [Test]
    public void AProfileSetWritesAProfilePerMatchingEventAndSaysWhichHaveNoValue()
    {
        var (folder, output) = Run("set");

        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            "ProfilingFixture.Net.TraceSent.pb.gz", "ProfilingFixture.Net.TraceWait.pb.gz",
        }));
        Assert.That(output, Does.Contain(
            "EventProfileOptions.Value: ProfilingFixture.Net.TraceWait(System.TimeSpan wait, double? load, ulong sizeBytes) has no parameter \"length\"; " +
            "its numeric parameters: wait, load, sizeBytes. Its profile counts firings only."));
        var sent = Pprof.Raw(Path.Combine(folder, "ProfilingFixture.Net.TraceSent.pb.gz"));
        var wait = Pprof.Raw(Path.Combine(folder, "ProfilingFixture.Net.TraceWait.pb.gz"));
        var set = At("Program.Set", "set-flush");
        var main = At(Main, "main-set");
        Assert.That(sent.SampleTypes, Is.EqualTo(new[] { "events/count", "length/count[dflt]" }));
        Assert.That(sent.Stacks(), Is.EqualTo(new[] { $"1 10: {At("Client.Send", "send")} <- {At("Client.Flush", "flush")} <- {set} <- {main}" }));
        Assert.That(wait.SampleTypes, Is.EqualTo(new[] { "events/count[dflt]" }));
        Assert.That(wait.Stacks(), Is.EquivalentTo(new[]
        {
            $"1: {At("Client.Wait", "wait")} <- {At("Program.Set", "set-wait")} <- {main}",
            $"1: {At("Client.Wait", "wait")} <- {At("Program.Set", "set-wait-2")} <- {main}",
        }));
    }

    [Test]
    public void PprofRejectsATruncatedProfileSoTheseTestsWouldFailOnOne()
    {
        var bytes = File.ReadAllBytes(Profile("paths"));
        var truncated = Path.Combine(Path.GetTempPath(), $"truncated-{Environment.ProcessId}.pb.gz");
        File.WriteAllBytes(truncated, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        try
        {
            var (exitCode, _, error) = Pprof.Run("-raw", truncated);

            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(error, Is.Not.Empty);
            Assert.Throws<AssertionException>(() => Pprof.Read("-raw", truncated));
        }
        finally
        {
            File.Delete(truncated);
        }
    }
}
