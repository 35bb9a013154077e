using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using NUnit.Framework;

namespace Tracing.Fody.Robustness.Tests;

/// <summary>
/// The corpus woven by the real Fody build and published with Native AOT (robustness/AotSample):
/// the ahead-of-time compiler accepts the woven IL, and the native program does with and without
/// probes exactly what the JIT-compiled woven corpus does.
/// </summary>
[TestFixture]
public sealed class NativeAotTests
{
    [Test]
    public void TheWovenCorpusPublishedWithNativeAotBehavesAsUnderTheJit()
    {
        var output = Repository.Scratch("aot");
        var project = Repository.Path("robustness", "AotSample", "AotSample.csproj");
        var publish = Run("dotnet", $"publish \"{project}\" -c Release -r {RuntimeInformation.RuntimeIdentifier} -o \"{output}\" -nologo", TimeSpan.FromMinutes(10));
        Assert.That(publish.ExitCode, Is.EqualTo(0), publish.Output);
        var native = Path.Combine(output, "AotSample");
        Assert.That(File.Exists(native), Is.True, $"no native executable in {output}");
        Assert.That(File.Exists(Path.Combine(output, "AotSample.dll")), Is.False, "the output is a native program, not an IL assembly");

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
