using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// The corpus woven by the real Fody build and published with Native AOT (robustness/AotSample,
/// published once for the fixture): the ahead-of-time compiler accepts the woven IL, the native
/// program does with and without probes exactly what the JIT-compiled woven corpus does, and a
/// diagnostics session (the real <c>tracing record -p</c>) records its trace events through the
/// EventPipe bridge.
/// </summary>
[TestFixture]
public sealed class NativeAotTests
{
    string _native = "";

    [OneTimeSetUp]
    public void Publish()
    {
        var output = Repository.Scratch("aot");
        var project = Repository.Path("robustness", "AotSample", "AotSample.csproj");
        var publish = Run("dotnet", $"publish \"{project}\" -c Release -r {RuntimeInformation.RuntimeIdentifier} -o \"{output}\" -nologo", TimeSpan.FromMinutes(10));
        Assert.That(publish.ExitCode, Is.EqualTo(0), publish.Output);
        _native = Path.Combine(output, "AotSample");
        Assert.That(File.Exists(_native), Is.True, $"no native executable in {output}");
        Assert.That(File.Exists(Path.Combine(output, "AotSample.dll")), Is.False, "the output is a native program, not an IL assembly");
    }

    [Test]
    public void TheWovenCorpusPublishedWithNativeAotBehavesAsUnderTheJit()
    {
        var native = _native;
        var native0 = RunCases(native, "detached");
        var native1 = RunCases(native, "attached");

        var jit = TortureBuild.Of(new Variant("net10.0", "Release"));
        var differences = new List<string>();
        foreach (var (attach, nativeTranscripts) in new[] { (false, native0), (true, native1) })
        {
            // AttachShapes (an event chosen at run time) goes through the runtime's reflection path,
            // which Native AOT does not support, and LineDirectives' calls warn by design where
            // the sample's build treats warnings as errors: the AOT sample leaves those cases out.
            var expected = jit.TranscriptsOf(Flavor.WovenLazy, attach)
                .Where(c => !c.Key.StartsWith("AttachShapes.", StringComparison.Ordinal) && !c.Key.StartsWith("LineDirectives.", StringComparison.Ordinal))
                .ToDictionary(c => c.Key, c => c.Value);
            Assert.That(nativeTranscripts.Keys, Is.EquivalentTo(expected.Keys));
            foreach (var name in expected.Keys)
            {
                var difference = Transcripts.Difference(expected[name], nativeTranscripts[name], "JIT", "Native AOT");
                if (difference is not null) differences.Add($"{name}, {(attach ? "probes attached" : "nothing attached")}: {difference}");
            }
        }
        Assert.That(differences, Is.Empty, string.Join("\n", differences));
        Assert.That(native1.Values.Sum(t => t.Count(l => l.StartsWith("ev["))), Is.GreaterThan(500), "probes ran in the native program");

        // A sink attached by filter (robustness/AotSample/SinkRun.cs): registration, tap factory
        // and generic adapters work where nothing can be made at run time.
        var sink = Run(native, "sink", TimeSpan.FromMinutes(2));
        Assert.That(sink.ExitCode, Is.EqualTo(0), sink.Output);
        Assert.That(sink.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[]
        {
            "sink:Torture.Events.Trace0()",
            "sink:Torture.Events.Trace1(value=42)",
            "sink:Torture.Events.TracePair(name=\"pair\", value=-7)",
            "sink:Torture.Events.Trace8(a=1, b=2, c=3.5, d=true, e='c', f=\"eight\", g=\"Green\", h=null)",
            "sink:Torture.Events.TraceColor(color=\"Red\")",
            "sink:Torture.Events.TraceNullable(value=null)",
            "sink:Torture.Events.TraceNullable(value=9)",
            "sink:Torture.Events.TracePoint(point=\"(1, 2)\")",
            "sink:Torture.Events.TraceTuple(tuple=\"(3, three)\")",
        }));
    }

    /// <summary>
    /// The EventPipe bridge in the native program (robustness/AotSample/EventPipeRun.cs): the
    /// net10.0 build of the runtime reaches EventPipe through UnsafeAccessor, which Native AOT
    /// compiles, and the app sets EventSourceSupport. The real <c>tracing record -p</c> turns the
    /// selected events on, and writes each firing with its arguments by name, with no error from
    /// the bridge. <c>tracing list -p</c>, which needs assembly files, says that there are none.
    /// </summary>
    [Test]
    public void TracingRecordDashPRecordsTheNativeProgramsEventsWithArgumentsByName()
    {
        var tool = Path.Combine(Repository.Root, "tools", "Tracing.Cli", "bin", Repository.Configuration, "net8.0", "Tracing.Cli.dll");
        Assert.That(File.Exists(tool), Is.True, $"{tool} is built with this test project");
        var file = Path.Combine(Repository.Scratch("aot-record"), "trace.json");

        var start = new ProcessStartInfo(_native, "eventpipe") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var target = Process.Start(start)!;
        try
        {
            var ready = target.StandardOutput.ReadLineAsync();
            Assert.That(ready.Wait(TimeSpan.FromSeconds(30)), Is.True, "the native program said ready within 30 s");
            Assert.That(ready.Result, Is.EqualTo($"ready {target.Id}"));

            var record = Run("dotnet", $"\"{tool}\" record -p {target.Id} -o \"{file}\" --events Torture.Events.TracePair " +
                                       "--events Torture.Events.Trace8 --duration 00:00:04", TimeSpan.FromMinutes(2));
            Assert.That(record.ExitCode, Is.EqualTo(0), record.Output);
            Assert.That(record.Output, Does.Match(@"tracing record: \d+ events in "));
            Assert.That(record.Output, Does.Not.Contain($"tracing record: process {target.Id}:"), "no error event from the bridge");

            // `tracing list -p` reads the woven assemblies' files, which a native program does not have: it says so.
            var list = Run("dotnet", $"\"{tool}\" list -p {target.Id}", TimeSpan.FromMinutes(2));
            Assert.That(list.ExitCode, Is.EqualTo(1), list.Output);
            Assert.That(list.Output, Does.StartWith($"tracing list: process {target.Id} has loaded no assembly file (a Native AOT program has none)"));
        }
        finally
        {
            if (!target.HasExited)
            {
                target.StandardInput.WriteLine("quit");
                target.StandardInput.Flush();
                if (!target.WaitForExit(10_000)) target.Kill();
            }
        }

        using var trace = JsonDocument.Parse(File.ReadAllText(file));
        var all = trace.RootElement.EnumerateArray().ToList();
        var events = all.Where(e => e.GetProperty("ph").GetString() == "I").ToList();
        Assert.That(events.Select(e => e.GetProperty("name").GetString()).Distinct(),
            Is.EquivalentTo(new[] { "Torture.Events.TracePair", "Torture.Events.Trace8" }), "the selected events, and only those");

        var pairs = events.Where(e => e.GetProperty("name").GetString() == "Torture.Events.TracePair").ToList();
        Assert.That(pairs.Select(e => e.GetProperty("args").GetProperty("name").GetString()), Has.All.EqualTo("aot"));
        var values = pairs.Select(e => e.GetProperty("args").GetProperty("value").GetInt64()).ToList();
        Assert.That(values, Is.EqualTo(Enumerable.Range((int)values[0], values.Count).Select(i => (long)i)), "every firing, in order");

        // A field of each kind: int, long, double, bool, char, string, an enum and a null object.
        var eight = events.First(e => e.GetProperty("name").GetString() == "Torture.Events.Trace8");
        Assert.That(eight.GetProperty("args").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.GetRawText()), Is.EqualTo(new Dictionary<string, string>
        {
            ["a"] = "1",
            ["b"] = "-5000000000",
            ["c"] = "0.25",
            ["d"] = "true",
            ["e"] = "\"c\"",
            ["f"] = "\"eight\"",
            ["g"] = "\"Green\"",
            ["h"] = "\"\"",
        }));

        // All fired on one thread, the firing thread (not the main thread, whose OS id is the process's).
        var pid = events[0].GetProperty("pid").GetInt64();
        var threads = events.Select(e => e.GetProperty("tid").GetInt64()).Distinct().ToList();
        Assert.That(threads, Has.Count.EqualTo(1));
        Assert.That(threads[0], Is.Not.EqualTo(pid));
    }

    static System.Collections.Generic.Dictionary<string, string[]> RunCases(string native, string setting)
    {
        var run = Run(native, setting, TimeSpan.FromMinutes(2));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        return Transcripts.ByCase(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }

    static (int ExitCode, string Output) Run(string file, string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repository.Root,
        };
        // The test host's MSBuild settings must not leak into the build it starts.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {arguments} did not finish in {timeout}.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
